import type Database from 'better-sqlite3';
import type { Db } from '../db/open-db.js';

const caches = new WeakMap<Db, Map<string, Database.Statement>>();

function cached(db: Db, key: string, make: () => Database.Statement): Database.Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let s = cache.get(key);
  if (!s) cache.set(key, (s = make()));
  return s;
}

/** Prepares each SQL text once per connection: preparing costs more than running a paged query. */
export function stmt(db: Db, sql: string): Database.Statement {
  return cached(db, sql, () => db.prepare(sql));
}

/** Like `stmt`, returning only the first column of each row. */
export function pluck(db: Db, sql: string): Database.Statement {
  return cached(db, `pluck:${sql}`, () => db.prepare(sql).pluck());
}
