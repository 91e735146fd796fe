import { promises as fs } from 'node:fs';
import path from 'node:path';
import { photoLikeJpeg } from '../../library/bench/photo-like.js';
import { decodeImage } from '../image-io.js';
import type { RawImage } from '../op.js';

/** Where ../shared/peers/make_images.py writes the peer's 24 photographs. */
export const PEER_IMAGE_DIR = process.env.SMALLSET_PEER_IMAGES ?? '/tmp/peerimgs';

export interface BenchImages {
  readonly images: RawImage[];
  /** 'peer' = the peer benchmark's own photographs; 'synthetic' = photo-like JPEGs made here. */
  readonly source: 'peer' | 'synthetic';
  readonly note: string;
}

async function peerFiles(): Promise<string[]> {
  try {
    return (await fs.readdir(PEER_IMAGE_DIR)).filter((f) => f.toLowerCase().endsWith('.jpg')).sort().map((f) => path.join(PEER_IMAGE_DIR, f));
  } catch {
    return [];
  }
}

/**
 * The benchmark inputs, decoded once: the peer's 640×480 photographs when they are on this machine
 * (same pixels as the peer), else `count` photo-like 640×480 JPEGs.
 */
export async function benchImages(count: number): Promise<BenchImages> {
  const files = await peerFiles();
  if (files.length) {
    const images = await Promise.all(files.slice(0, count).map((f) => decodeImage(f)));
    return { images, source: 'peer', note: `${images.length} peer photographs from ${PEER_IMAGE_DIR}` };
  }
  const images: RawImage[] = [];
  for (let i = 0; i < count; i++) images.push(await decodeImage(await photoLikeJpeg(i + 1, 640, 480)));
  return { images, source: 'synthetic', note: `${count} photo-like 640×480 JPEGs (peer photographs not found in ${PEER_IMAGE_DIR})` };
}
