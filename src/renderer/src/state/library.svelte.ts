import type { Client } from '../../../shared/api/client.js';
import type { ClassInfo, DatasetSummary } from '../../../shared/api/library.js';

/** The datasets in the library, the one open, and its classes. */
export class LibraryState {
  datasets = $state.raw<DatasetSummary[]>([]);
  loaded = $state(false);
  currentId = $state<number | null>(null);
  classes = $state.raw<ClassInfo[]>([]);
  current = $derived(this.datasets.find((d) => d.id === this.currentId) ?? null);

  constructor(private readonly client: Client) {}

  async refresh(): Promise<void> {
    const { datasets } = await this.client.call('datasets.list');
    this.datasets = datasets;
    this.loaded = true;
    if (this.currentId === null || !datasets.some((d) => d.id === this.currentId)) {
      this.currentId = datasets[0]?.id ?? null;
      await this.refreshClasses();
    }
  }

  async select(datasetId: number): Promise<void> {
    if (this.currentId === datasetId) return;
    this.currentId = datasetId;
    this.classes = [];
    await this.refreshClasses();
  }

  async refreshClasses(): Promise<void> {
    const id = this.currentId;
    if (id === null) {
      this.classes = [];
      return;
    }
    const { classes } = await this.client.call('classes.list', { datasetId: id });
    // Creation order, so the number key of a class stays put when another class is added.
    if (this.currentId === id) this.classes = [...classes].sort((a, b) => a.id - b.id);
  }

  /**
   * Counts change with every label; both lists are cheap to reload. The datasets first: when the open
   * one was removed (by another window or client), asking for its classes would fail.
   */
  async refreshCounts(): Promise<void> {
    const open = this.currentId;
    await this.refresh();
    if (this.currentId === open) await this.refreshClasses();
  }

  async createClass(name: string, color?: string): Promise<ClassInfo | null> {
    if (this.currentId === null) return null;
    const created = await this.client.call('classes.create', { datasetId: this.currentId, name, ...(color ? { color } : {}) });
    await this.refreshCounts();
    return created;
  }

  async updateClass(classId: number, changes: { name?: string; color?: string }): Promise<ClassInfo> {
    const updated = await this.client.call('classes.update', { classId, ...changes });
    await this.refreshClasses();
    return updated;
  }

  async mergeClasses(sourceIds: number[], targetId: number): Promise<ClassInfo> {
    const merged = await this.client.call('classes.merge', { sourceIds, targetId });
    await this.refreshCounts();
    return merged;
  }

  async deleteClass(classId: number): Promise<number> {
    const { unlabeled } = await this.client.call('classes.delete', { classId });
    await this.refreshCounts();
    return unlabeled;
  }

  async rename(datasetId: number, name: string): Promise<void> {
    await this.client.call('datasets.rename', { datasetId, name });
    await this.refresh();
  }

  async remove(datasetId: number): Promise<void> {
    await this.client.call('datasets.remove', { datasetId });
    if (this.currentId === datasetId) this.currentId = null;
    await this.refresh();
  }

  classById(classId: number | null): ClassInfo | undefined {
    return classId === null ? undefined : this.classes.find((c) => c.id === classId);
  }
}
