import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A seeded byte stream (splitmix32): every n gets its own noise. */
function noise(n: number): () => number {
  let state = (n * 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) & 0xff;
  };
}

/**
 * An 8×8 RGB PNG of seeded noise whose first pixel also spells out `n`, so every file of a
 * generated library is distinct in bytes (the import would fold equal files into one) and in looks
 * (a gradient shifted per file made 2.4% of all pairs near-duplicates, one giant look-alike group
 * at 100k, which no real library is). Written by hand: sharp costs ~1 ms a file, this ~20 µs.
 */
export function tinyPng(n: number, side = 8): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.alloc(side * (1 + side * 3));
  const next = noise(n);
  for (let y = 0; y < side; y++) {
    const row = y * (1 + side * 3);
    for (let i = 0; i < side * 3; i++) rows[row + 1 + i] = y === 0 && i < 3 ? (n >>> (i * 8)) & 0xff : next();
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** `count` distinct tiny PNGs in `classes` class folders under `root`. */
export function writeTinyLibrary(root: string, count: number, classes = 10): void {
  for (let c = 0; c < classes; c++) mkdirSync(path.join(root, `class-${c}`), { recursive: true });
  for (let i = 0; i < count; i++) writeFileSync(path.join(root, `class-${i % classes}`, `${i}.png`), tinyPng(i));
}
