import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { alongsideDecodes, decodeWithStableError } from '../../../src/core/library/decode-gate.js';

// libvips keeps one error buffer per process and every sharp call clears it when it finishes, so
// failing decodes beside other sharp work often lose their message ("Unknown error").
const good = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#f80' } }).png().toBuffer();
const truncated = good.subarray(0, good.length - 200);
const decodeTruncated = () => sharp(truncated, { failOn: 'truncated' }).resize(64).raw().toBuffer();
const encodeGood = () => sharp(good).resize(64).jpeg().toBuffer();

async function reasons(run: (i: number) => Promise<unknown>, rounds = 20): Promise<string[]> {
  const out: string[] = [];
  for (let round = 0; round < rounds; round++) {
    const settled = await Promise.allSettled(Array.from({ length: 32 }, (_, i) => run(i)));
    for (const s of settled) if (s.status === 'rejected') out.push((s.reason as Error).message);
  }
  return out;
}

describe('decode gate', () => {
  it('without it, failures beside other sharp work lose their message (the race it exists for)', async () => {
    const got = await reasons((i) => (i % 2 ? decodeTruncated() : alongsideDecodes(encodeGood)));
    expect(got.length).toBe(20 * 16);
    expect(got.filter((m) => m === 'Unknown error').length).toBeGreaterThan(0);
  });

  it('gives every failed decode its own message, the same each time', async () => {
    const got = await reasons((i) => (i % 2 ? decodeWithStableError(decodeTruncated) : alongsideDecodes(encodeGood)));
    expect(got.length).toBe(20 * 16);
    expect(new Set(got).size).toBe(1);
    expect(got[0]).not.toMatch(/unknown error/i);
  });

  it('returns what a decode that succeeds gives', async () => {
    const bytes = await decodeWithStableError(encodeGood);
    expect((await sharp(bytes).metadata()).format).toBe('jpeg');
  });
});
