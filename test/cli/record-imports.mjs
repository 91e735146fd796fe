// `node --import tsx --import ./test/cli/record-imports.mjs …`: appends every module the process
// resolves (its final URL, one a line) to the file $SMALLSET_IMPORTS_LOG names.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) register(import.meta.url, { data: process.env.SMALLSET_IMPORTS_LOG });

let log;
export function initialize(file) {
  log = file;
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}
