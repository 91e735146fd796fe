import { describe, expect, it } from 'vitest';
import type { RawPixels } from '../../../src/core/library/thumbnails.js';
import { colourLayout } from '../../../src/core/quality/colour-layout.js';

function noise(width: number, height: number, seed: number): RawPixels {
  const data = new Uint8Array(width * height * 3);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    data[i] = (s >>> 0) % 256;
  }
  return { data, width, height, channels: 3 };
}

/** The same pixels with an opaque alpha channel: they take the general, pixel-by-pixel path. */
function opaque(px: RawPixels): RawPixels {
  const n = px.width * px.height;
  const data = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    data.set(px.data.subarray(i * 3, i * 3 + 3), i * 4);
    data[i * 4 + 3] = 255;
  }
  return { data, width: px.width, height: px.height, channels: 4 };
}

describe('colourLayout', () => {
  it('gives RGB pixels (row sums per cell) the same layout as pixel by pixel, at any size', () => {
    for (const [w, h] of [[1, 1], [2, 3], [3, 2], [5, 7], [17, 9], [256, 192], [255, 191]] as const) {
      const px = noise(w, h, w * 31 + h);
      expect(colourLayout(px), `${w}×${h}`).toBe(colourLayout(opaque(px)));
    }
  });

  it('puts each quarter of a four-colour image in its own column of cells', () => {
    const px = noise(8, 4, 1);
    const colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [16, 32, 48]];
    for (let y = 0; y < 4; y++) for (let x = 0; x < 8; x++) px.data.set(colours[x >> 1]!, (y * 8 + x) * 3);
    const row = 'ff0000' + '00ff00' + '0000ff' + '102030';
    expect(colourLayout(px)).toBe(row.repeat(4));
  });
});
