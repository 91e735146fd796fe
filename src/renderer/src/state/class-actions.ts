import { plural } from '../lib/format.js';
import type { Studio } from './studio.svelte.js';

/**
 * Renaming, recolouring, merging and deleting classes: each changes the class list, the counts
 * and the class names the grid shows, and tells the person what happened.
 */
export class ClassActions {
  constructor(private readonly studio: Studio) {}

  private async attempt(work: () => Promise<string | null>): Promise<boolean> {
    try {
      const message = await work();
      if (message) this.studio.app.notify(message);
      return true;
    } catch (err) {
      this.studio.app.fail(err);
      return false;
    }
  }

  create(name: string, color?: string): Promise<boolean> {
    return this.attempt(async () => {
      const created = await this.studio.library.createClass(name, color);
      return created ? `Class “${created.name}” created.` : null;
    });
  }

  update(classId: number, changes: { name?: string; color?: string }): Promise<boolean> {
    return this.attempt(async () => {
      const before = this.studio.library.classById(classId);
      const updated = await this.studio.library.updateClass(classId, changes);
      await this.studio.grid.reload(true);
      return before && before.name !== updated.name ? `Class “${before.name}” is now “${updated.name}”.` : null;
    });
  }

  merge(sourceId: number, targetId: number): Promise<boolean> {
    return this.attempt(async () => {
      const source = this.studio.library.classById(sourceId);
      const target = await this.studio.library.mergeClasses([sourceId], targetId);
      this.leaveFilterOn(sourceId);
      this.studio.grid.clearUndo();
      await this.studio.grid.reload(true);
      return `Merged “${source?.name ?? 'the class'}” into “${target.name}” (now ${plural(target.count, 'image')}).`;
    });
  }

  delete(classId: number): Promise<boolean> {
    return this.attempt(async () => {
      const cls = this.studio.library.classById(classId);
      const unlabeled = await this.studio.library.deleteClass(classId);
      this.leaveFilterOn(classId);
      this.studio.grid.clearUndo();
      await this.studio.grid.reload(true);
      return `Deleted “${cls?.name ?? 'the class'}”; ${plural(unlabeled, 'image')} ${unlabeled === 1 ? 'is' : 'are'} unlabeled now.`;
    });
  }

  /** A filter on a class that no longer exists would show nothing. */
  private leaveFilterOn(classId: number): void {
    const grid = this.studio.grid;
    if (grid.filters.classId === classId) grid.filters = { ...grid.filters, classId: null };
  }
}
