import type { Db } from '../db/open-db.js';
import { pluck } from './statements.js';

interface Cache {
  stamp: string;
  entries: Map<string, unknown>;
}

const caches = new WeakMap<Db, Cache>();
const MAX_ENTRIES = 8;

/**
 * Changes to the database since the connection opened: total_changes() counts this connection's
 * writes, data_version moves when another connection (a worker, another process) commits.
 */
function changeStamp(db: Db): string {
  return `${pluck(db, 'SELECT total_changes()').get() as number}:${pluck(db, 'PRAGMA data_version').get() as number}`;
}

/**
 * Remembers results that depend only on the database contents (counts, matching ids) until the
 * database changes. Scrolling a grid asks for the same filter page after page; only the first page
 * pays for counting or scanning.
 */
export function cachedQuery<T>(db: Db, key: string, compute: () => T): T {
  const stamp = changeStamp(db);
  let cache = caches.get(db);
  if (!cache || cache.stamp !== stamp) caches.set(db, (cache = { stamp, entries: new Map() }));
  if (cache.entries.has(key)) {
    const value = cache.entries.get(key) as T;
    // Refresh its place so the least recently used entry goes first.
    cache.entries.delete(key);
    cache.entries.set(key, value);
    return value;
  }
  const value = compute();
  cache.entries.set(key, value);
  if (cache.entries.size > MAX_ENTRIES) cache.entries.delete(cache.entries.keys().next().value!);
  return value;
}
