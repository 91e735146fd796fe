#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into node_modules/.smallset-electron/better_sqlite3.node,
// which src/core/db/open-db.ts loads when running inside Electron. The copy in node_modules stays
// built for Node, so the CLI, `smallset serve` and the tests keep working.
//
// Order: a prebuilt binary for this Electron version (prebuild-install, what better-sqlite3 itself
// uses), else node-gyp against Electron's headers. Nothing happens when it is already built for
// this Electron version, or when Electron's binary is not installed (then `electron-vite dev`
// could not start anyway, and we say so).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modules = path.join(root, 'node_modules');
const targetDir = path.join(modules, '.smallset-electron');
const target = path.join(targetDir, 'better_sqlite3.node');
const stamp = path.join(targetDir, 'built-for.json');

function say(line) {
  process.stderr.write(`electron-native: ${line}\n`);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const electronPkg = readJson(path.join(modules, 'electron', 'package.json'));
if (!electronPkg) {
  say('skipped: electron is not installed (npm install, without --omit=dev).');
  process.exit(0);
}
if (!existsSync(path.join(modules, 'electron', 'path.txt')) && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
  say(`skipped: Electron ${electronPkg.version}'s binary is not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, or no network).`);
  say('run `node node_modules/electron/install.js` where downloads work, then `npm start` again.');
  process.exit(0);
}

const sqlitePkgDir = path.join(modules, 'better-sqlite3');
const sqlitePkg = readJson(path.join(sqlitePkgDir, 'package.json'));
if (!sqlitePkg) {
  say('better-sqlite3 is missing from node_modules; run npm install first.');
  process.exit(1);
}

const wanted = { electron: electronPkg.version, betterSqlite3: sqlitePkg.version, platform: process.platform, arch: process.arch };
const built = readJson(stamp);
if (existsSync(target) && built && JSON.stringify(built) === JSON.stringify(wanted)) {
  process.exit(0);
}

say(`building better-sqlite3 ${sqlitePkg.version} for Electron ${electronPkg.version} (${process.platform}-${process.arch})…`);
// Work on a copy: building in place would replace the Node binary the CLI and tests use.
const work = mkdtempSync(path.join(os.tmpdir(), 'smallset-electron-native-'));
const copy = path.join(work, 'better-sqlite3');
try {
  const buildDir = path.join(sqlitePkgDir, 'build');
  cpSync(sqlitePkgDir, copy, { recursive: true, filter: (src) => src !== buildDir && !src.startsWith(buildDir + path.sep) });
  const run = (command, args) =>
    spawnSync(command, args, { cwd: copy, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, npm_config_build_from_source: '' } }).status === 0;

  const prebuild = path.join(modules, 'prebuild-install', 'bin.js');
  let ok = existsSync(prebuild) && run(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronPkg.version, '--arch', process.arch]);
  if (!ok) {
    say('no prebuilt binary; compiling with node-gyp against Electron headers (needs a C++ toolchain and Python)…');
    const gyp = process.env.npm_config_node_gyp ?? path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    ok =
      existsSync(gyp) &&
      run(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronPkg.version}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers']);
  }
  const output = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
  if (!ok || !existsSync(output)) {
    say('failed: could not get better-sqlite3 for Electron. The desktop app cannot open the library without it;');
    say('`./bin/smallset serve` gives the same UI in a browser meanwhile.');
    process.exit(1);
  }
  mkdirSync(targetDir, { recursive: true });
  cpSync(output, target);
  writeFileSync(stamp, `${JSON.stringify(wanted)}\n`);
  say(`done: ${path.relative(root, target)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
