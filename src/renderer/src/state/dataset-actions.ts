import type { Studio } from './studio.svelte.js';

/** Rename a dataset from the sidebar; false (and a message) when the engine refuses. */
export async function renameDataset(studio: Studio, datasetId: number, name: string): Promise<boolean> {
  try {
    await studio.library.rename(datasetId, name);
    return true;
  } catch (err) {
    studio.app.fail(err);
    return false;
  }
}

/** Forget a dataset (files stay on disk); the grid moves to whichever dataset is current next. */
export async function removeDataset(studio: Studio, datasetId: number): Promise<boolean> {
  try {
    const name = studio.library.datasets.find((d) => d.id === datasetId)?.name ?? 'the dataset';
    await studio.library.remove(datasetId);
    await studio.grid.openDataset(studio.library.currentId);
    studio.app.notify(`Removed “${name}” from the library; its files are untouched.`);
    return true;
  } catch (err) {
    studio.app.fail(err);
    return false;
  }
}
