import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importSuite } from './import-suite.js';
import { compareSuite } from './compare-suite.js';
import { augmentSuite } from './augment-suite.js';
import { previewSuite } from './preview-suite.js';
import { trainSuite } from './train-suite.js';
import { exportSuite } from './export-suite.js';
import { transferSuite } from './transfer-suite.js';
import { qualitySuite } from './quality-suite.js';
import { scaleSuite } from './scale/suite.js';

/** One measured figure, beside the peer's figure for the same work on the same machine. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  peer: { name: string; value: number } | null;
  /** Ours ÷ the peer's, oriented so higher is better for us (see `ratio`); null without a peer. */
  ratio: number | null;
  /** How it was measured: sample size, spread, goal, anything a reader needs to trust it. */
  note?: string;
}

export interface BenchOptions {
  /** Aborted on Ctrl-C; a suite stops between measurements. */
  signal: AbortSignal;
  /** Progress lines for a human watching (stderr). */
  log: (line: string) => void;
  /** Where the peer measurements live (../shared/peers beside the checkout, or $SMALLSET_PEERS_DIR). */
  peersDir: string;
  /** Tiny sizes, for tests that only check a suite works end to end. */
  quick: boolean;
}

export interface BenchSuite {
  name: string;
  summary: string;
  run(opts: BenchOptions): Promise<BenchFigure[]>;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  node: string;
  /** os.loadavg() (1, 5, 15 min) before and after the suite: a busy machine makes figures low. */
  loadBefore: number[];
  loadAfter: number[];
}

export interface BenchReport {
  suite: string;
  machine: MachineInfo;
  figures: BenchFigure[];
}

/** Every suite `smallset bench <name>` can run; add one line per suite. */
export const suites: BenchSuite[] = [importSuite, compareSuite, trainSuite, augmentSuite, previewSuite, exportSuite, qualitySuite, scaleSuite, transferSuite];

export function findSuite(name: string): BenchSuite | undefined {
  return suites.find((s) => s.name === name);
}

export function defaultPeersDir(): string {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  return process.env.SMALLSET_PEERS_DIR ?? path.resolve(repo, '../shared/peers');
}

/** ours ÷ peer, inverted for figures where lower is better (times), rounded to 3 places. */
export function ratio(value: number, peer: { value: number } | null, better: 'higher' | 'lower'): number | null {
  if (!peer || !(peer.value > 0) || !(value > 0)) return null;
  const r = better === 'higher' ? value / peer.value : peer.value / value;
  return Math.round(r * 1000) / 1000;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (!n) return Number.NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

function machine(loadBefore: number[]): MachineInfo {
  const cpus = os.cpus();
  const round = (xs: number[]) => xs.map((x) => Math.round(x * 100) / 100);
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    loadBefore: round(loadBefore),
    loadAfter: round(os.loadavg()),
  };
}

/** Runs one suite, or every suite for `all`, into one report. */
export async function runBench(name: string, opts: BenchOptions): Promise<BenchReport> {
  const chosen = name === 'all' ? suites : [findSuite(name)].filter((s): s is BenchSuite => s !== undefined);
  const loadBefore = os.loadavg();
  const figures: BenchFigure[] = [];
  for (const suite of chosen) {
    opts.log(`${suite.name}: ${suite.summary}`);
    const got = await suite.run(opts);
    figures.push(...(name === 'all' ? got.map((f) => ({ ...f, name: `${suite.name}: ${f.name}` })) : got));
  }
  return { suite: name, machine: machine(loadBefore), figures };
}
