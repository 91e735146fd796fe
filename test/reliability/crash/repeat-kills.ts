// Many kill -9s at random moments, for docs/RELIABILITY.md (the CI test kills once per kind):
//   node --import tsx test/reliability/crash/repeat-kills.ts [trials per kind] [seed]
// Each trial starts `smallset import` or `smallset export` on one library and SIGKILLs it a random
// 0–3 s after it starts writing (first new thumbnail, or its staging folder); then the library must pass integrity_check, hold no partial dataset, show no
// partial export, and every source image must be byte-identical.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createContext } from '../../../src/core/context.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import { tinyPng } from '../../../src/cli/bench/scale/tiny-png.js';
import { seeded } from '../fuzz/generate-input.js';

const trials = Number(process.argv[2] ?? 10);
const random = seeded(Number(process.argv[3] ?? 1));
const CLI = path.resolve('bin/smallset');
const COUNT = 400;

const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-kills-'));
const images = path.join(dir, 'images');
const data = path.join(dir, 'data');
for (let i = 0; i < COUNT; i++) {
  const file = path.join(images, `c${i % 4}`, `${i}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, tinyPng(i, 16));
}

function hashTree(root: string): string {
  const h = createHash('sha256');
  for (const f of (readdirSync(root, { recursive: true }) as string[]).sort()) {
    const full = path.join(root, f);
    if (f.endsWith('.png')) h.update(f).update(readFileSync(full));
  }
  return h.digest('hex');
}
const before = hashTree(images);

function check(): { integrity: string; images: number } {
  const db = new Database(path.join(data, 'library.db'));
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const images = (db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n;
    return { integrity, images };
  } finally {
    db.close();
  }
}

function entries(p: string): number {
  return existsSync(p) ? readdirSync(p, { recursive: true }).length : 0;
}

/** Starts the command, waits until `working()` says it is mid-work, then SIGKILLs it `ms` later. */
async function killMidWork(args: string[], working: () => boolean, ms: number): Promise<'killed' | 'finished' | string> {
  const child = spawn(process.execPath, [CLI, '--data', data, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
  let done = false;
  void exited.then(() => (done = true));
  while (!done && !working()) await new Promise((r) => setTimeout(r, 20));
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const [code, signal] = await exited;
  clearTimeout(timer);
  return signal === 'SIGKILL' ? 'killed' : code === 0 ? 'finished' : `failed (${code}): ${err.trim().slice(-300)}`;
}

const problems: string[] = [];
let killed = 0;
let finished = 0;
for (let t = 0; t < trials; t++) {
  const thumbs = path.join(data, 'thumbs');
  // Thumbnails are a cache shared by imports: cleared, so "working" is the first one written.
  rmSync(thumbs, { recursive: true, force: true });
  const outcome = await killMidWork(['import', images, '--name', 'kills'], () => entries(thumbs) > 0, Math.floor(random() * 3000));
  if (outcome === 'killed') killed++;
  else if (outcome === 'finished') finished++;
  else problems.push(`import trial ${t}: ${outcome}`);
  if (existsSync(path.join(data, 'library.db'))) {
    const c = check();
    if (c.integrity !== 'ok') problems.push(`import trial ${t}: integrity ${c.integrity}`);
    if (c.images !== 0 && c.images !== COUNT) problems.push(`import trial ${t}: ${c.images} images, a partial dataset`);
    if (c.images) {
      const ctx = createContext(data);
      const list = (await dispatch(ctx, 'datasets.list', {})) as { datasets: { id: number }[] };
      for (const d of list.datasets) await dispatch(ctx, 'datasets.remove', { datasetId: d.id });
      ctx.close();
    }
  }
}
// A complete dataset to export from.
spawnSync(process.execPath, [CLI, '--data', data, 'import', images, '--name', 'kills'], { stdio: 'ignore' });
for (let t = 0; t < trials; t++) {
  const out = path.join(dir, 'exports', `e${t}`);
  const parent = path.dirname(out);
  const staging = () => existsSync(parent) && readdirSync(parent).some((n) => n.startsWith(`.e${t}.smallset-tmp-`));
  const outcome = await killMidWork(['export', 'kills', '--out', out, '--copies', '0', '--size', '16', '--format', 'png'], staging, Math.floor(random() * 3000));
  if (outcome === 'killed') killed++;
  else if (outcome === 'finished') finished++;
  else problems.push(`export trial ${t}: ${outcome}`);
  if (existsSync(out)) {
    const files = (readdirSync(out, { recursive: true }) as string[]).filter((f) => f.endsWith('.png')).length;
    if (outcome === 'killed' || files !== COUNT || !existsSync(path.join(out, 'manifest.csv'))) problems.push(`export trial ${t}: a destination with ${files} files after ${outcome}`);
  }
  const c = check();
  if (c.integrity !== 'ok') problems.push(`export trial ${t}: integrity ${c.integrity}`);
}
if (hashTree(images) !== before) problems.push('source images changed');
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ trials: trials * 2, killed, finishedBeforeTheKill: finished, problems }, null, 2)}\n`);
process.exitCode = problems.length ? 1 : 0;
