import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';
import type { AppContext } from '../context.js';
import { getImage } from '../library/query-images.js';
import { decodeImage } from './image-io.js';
import type { RawImage } from './op.js';

/** Decoded preview-size sources by content hash and size; a few dozen keep a browsing session instant. */
const MEMORY_LIMIT = 48;
const memory = new Map<string, RawImage>();

function remember(key: string, image: RawImage): void {
  memory.delete(key);
  memory.set(key, image);
  while (memory.size > MEMORY_LIMIT) memory.delete(memory.keys().next().value!);
}

function recall(key: string): RawImage | undefined {
  const hit = memory.get(key);
  if (hit) remember(key, hit);
  return hit;
}

const HEADER = 12;

/**
 * Part of every cache key: bumped when decoding gives other pixels (2: plain JPEGs decoded by
 * @napi-rs/image; 3: baseline ones by decoder.c), so a cache written before never shows a preview
 * the export would not match.
 */
const DECODER_VERSION = 3;

async function readCached(file: string): Promise<RawImage | null> {
  try {
    const buf = await fs.readFile(file);
    if (buf.length < HEADER || buf.readUInt32LE(0) !== 0x52474233) return null;
    const width = buf.readUInt32LE(4);
    const height = buf.readUInt32LE(8);
    if (buf.length !== HEADER + width * height * 3) return null;
    return { data: new Uint8Array(buf.buffer, buf.byteOffset + HEADER, width * height * 3), width, height, channels: 3 };
  } catch {
    return null;
  }
}

async function writeCached(file: string, image: RawImage): Promise<void> {
  const header = Buffer.alloc(HEADER);
  header.writeUInt32LE(0x52474233, 0);
  header.writeUInt32LE(image.width, 4);
  header.writeUInt32LE(image.height, 8);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, Buffer.concat([header, image.data]));
  await fs.rename(tmp, file);
}

/**
 * The decoded source of a preview: a library image shrunk to `maxSide` (shrink-on-load for JPEG),
 * cached in memory and in the data folder's decoded cache by content hash, so the original file is
 * read once per size.
 */
export async function previewSource(ctx: AppContext, imageId: number, maxSide: number): Promise<RawImage> {
  const image = getImage(ctx.db, imageId);
  if (image.error !== null) throw new ApiError('invalid_input', `Image ${imageId} (${image.relPath}) cannot be previewed: ${image.error}.`);
  if (image.missing) throw new ApiError('not_found', `Image ${imageId}: the file "${image.path}" is no longer there; rescan the dataset.`);
  const identity = image.hash ?? createHash('sha1').update(`${image.path}\0${image.size}\0${image.mtime}`).digest('hex');
  const key = `${identity}-${maxSide}-d${DECODER_VERSION}`;
  const hit = recall(key);
  if (hit) return hit;
  const file = path.join(ctx.paths.decoded, 'preview', identity.slice(0, 2), `${key}.rgb`);
  let decoded = await readCached(file);
  if (!decoded) {
    decoded = await decodeImage(image.path, { maxSide, name: `image ${imageId} (${image.path})` });
    // A cache that cannot be written (full disk, read-only data folder) only costs speed next time.
    await writeCached(file, decoded).catch(() => undefined);
  }
  remember(key, decoded);
  return decoded;
}

/** Forgets decoded sources held in memory (tests; memory pressure). */
export function clearPreviewMemory(): void {
  memory.clear();
}
