import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureDir } from '../data-dir.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations/index.js';

export type Db = Database.Database;

/**
 * Inside Electron the main process has a different ABI from the Node that built better-sqlite3;
 * `npm start` builds an Electron copy (scripts/electron-native.mjs) and we load that one there.
 */
function nativeBinding(): string | undefined {
  if (!process.versions.electron) return undefined;
  const candidate = path.resolve('node_modules', '.smallset-electron', 'better_sqlite3.node');
  return existsSync(candidate) ? candidate : undefined;
}

export function openDb(file: string, options: { readonly?: boolean } = {}): Db {
  if (file !== ':memory:') ensureDir(path.dirname(file));
  const binding = nativeBinding();
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    ...(binding ? { nativeBinding: binding } : {}),
  });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) migrate(db, migrations);
  return db;
}
