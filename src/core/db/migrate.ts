import type Database from 'better-sqlite3';
import { ApiError } from '../../shared/api/errors.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

/** Applies every pending migration in one transaction and records the version in user_version. */
export function migrate(db: Database.Database, list: readonly Migration[], target?: number): number {
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const latest = target ?? list.length;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > list.length) {
    throw new ApiError(
      'unsupported',
      `This library was written by a newer Smallset Studio (schema ${current}, this version knows ${list.length}). Update the app to open it.`,
    );
  }
  if (current >= latest) return current;
  db.transaction(() => {
    for (const m of list.slice(current, latest)) m.up(db);
    db.pragma(`user_version = ${latest}`);
  })();
  return latest;
}
