import { createHash } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { EpochLog, TrainConfig } from '../../../shared/api/train.js';
import type { StopReason } from '../callbacks/callback.js';
import type { RunSets } from '../data/samples.js';

/**
 * A training run's state at the end of an epoch, in one file in the run's model folder
 * (`<data>/models/<runId>/checkpoint.bin`): "SSCK", a little-endian u32 header length, the JSON
 * header, then the tensors' bytes (each 4-byte aligned). Written to a temporary file, synced and
 * renamed over the last one, so a kill at any moment leaves the previous checkpoint or the new one.
 * This module reads and writes the file; it never loads TensorFlow.js (the parent reads headers).
 */
export const CHECKPOINT_FILE = 'checkpoint.bin';
const MAGIC = 'SSCK';

export interface TensorEntry {
  /** model: every model weight (trainable or not), optimizer: its slots and step, best: early stopping's kept weights, extra: named scalars. */
  group: 'model' | 'optimizer' | 'best' | 'extra';
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  /** Byte offset into the data part, and element count. */
  offset: number;
  length: number;
}

export interface EarlyStoppingState {
  best: number | null;
  bestEpochSeen: number;
  lastEpoch: number;
  wait: number;
}

export interface CheckpointHeader {
  version: 1;
  runId: string;
  /** The last epoch trained and validated (1-based). */
  epoch: number;
  /** Digests of what the run trains on and how: a resume with other images or settings is refused. */
  setsDigest: string;
  configDigest: string;
  stopReason: StopReason | null;
  /** Every epoch's log so far. */
  epochs: EpochLog[];
  /** Training calls each seeded dropout layer has made (its mask stream's position), by layer name. */
  dropoutSteps: Record<string, number>;
  early: EarlyStoppingState | null;
  tensors: TensorEntry[];
}

export interface CheckpointTensor {
  group: TensorEntry['group'];
  name: string;
  shape: number[];
  dtype: TensorEntry['dtype'];
  values: Float32Array | Int32Array;
}

export type CheckpointState = Omit<CheckpointHeader, 'version' | 'tensors'>;

export function checkpointPath(modelDir: string): string {
  return path.join(modelDir, CHECKPOINT_FILE);
}

const sha1 = (value: unknown) => createHash('sha1').update(JSON.stringify(value)).digest('hex');

/** Which images, with which bytes and labels, in which set. */
export function setsDigest(sets: RunSets): string {
  const part = (list: RunSets['train']) => list.map((s) => [s.id, s.key, s.label]);
  return sha1({ train: part(sets.train), val: part(sets.val), test: part(sets.test) });
}

export function configDigest(config: TrainConfig): string {
  return sha1(config);
}

export async function writeCheckpoint(modelDir: string, state: CheckpointState, tensors: readonly CheckpointTensor[]): Promise<void> {
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    entries.push({ group: t.group, name: t.name, shape: t.shape, dtype: t.dtype, offset, length: t.values.length });
    offset += t.values.byteLength;
  }
  const header: CheckpointHeader = { version: 1, ...state, tensors: entries };
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (4 - ((8 + json.length) % 4)) % 4;
  json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const head = Buffer.alloc(8);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(json.length, 4);
  const file = checkpointPath(modelDir);
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.write(head);
    await handle.write(json);
    for (const t of tensors) await handle.write(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

function parse(bytes: Buffer, file: string): { header: CheckpointHeader; dataStart: number } {
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== MAGIC) throw new Error(`${file} is not a Smallset checkpoint`);
  const length = bytes.readUInt32LE(4);
  const header = JSON.parse(bytes.toString('utf8', 8, 8 + length)) as CheckpointHeader;
  if (header.version !== 1) throw new Error(`${file} is a checkpoint of version ${String(header.version)}, this program reads version 1`);
  return { header, dataStart: 8 + length };
}

/** The checkpoint's header, or null when the run has none (or it cannot be read). */
export async function readCheckpointHeader(modelDir: string): Promise<CheckpointHeader | null> {
  const file = checkpointPath(modelDir);
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const head = Buffer.alloc(8);
    await handle.read(head, 0, 8, 0);
    if (head.toString('latin1', 0, 4) !== MAGIC) return null;
    const length = head.readUInt32LE(4);
    const json = Buffer.alloc(length);
    await handle.read(json, 0, length, 8);
    return parse(Buffer.concat([head, json]), file).header;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

export async function readCheckpoint(modelDir: string): Promise<{ header: CheckpointHeader; tensors: CheckpointTensor[] }> {
  const file = checkpointPath(modelDir);
  const bytes = await readFile(file);
  const { header, dataStart } = parse(bytes, file);
  const tensors = header.tensors.map((e): CheckpointTensor => {
    const start = dataStart + e.offset;
    const copy = bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + e.length * 4);
    return { group: e.group, name: e.name, shape: e.shape, dtype: e.dtype, values: e.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy) };
  });
  return { header, tensors };
}

export async function removeCheckpoint(modelDir: string): Promise<void> {
  await rm(checkpointPath(modelDir), { force: true });
}
