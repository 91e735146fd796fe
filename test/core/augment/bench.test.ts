import { describe, expect, it } from 'vitest';
import { measureParallel } from '../../../src/core/augment/bench/parallel.js';
import { measurePreview } from '../../../src/core/augment/bench/preview-latency.js';
import { measureThroughput, STANDARD_CHAIN } from '../../../src/core/augment/bench/throughput.js';
import { parsePipeline } from '../../../src/core/augment/pipeline.js';
import { photoLike } from './helpers.js';

describe('augment benchmarks (tiny sizes: they run, figures mean nothing)', () => {
  const images = [photoLike(64, 48, 1), photoLike(64, 48, 2)];

  it('the standard chain is a valid pipeline ending at 224×224', () => {
    expect(parsePipeline(STANDARD_CHAIN).nodes.map((n) => n.op.id)).toEqual([
      'hflip', 'rotate', 'random_resized_crop', 'brightness', 'contrast', 'saturation', 'hue', 'gaussian_blur',
    ]);
  });

  it('measures single-thread throughput', async () => {
    const t = await measureThroughput(STANDARD_CHAIN, images, 4, 2);
    expect(t.rates).toHaveLength(2);
    for (const r of t.rates) expect(r).toBeGreaterThan(0);
    expect(t.perCpuSecond).toBeGreaterThan(0);
  });

  it('runs the chain on worker threads (TypeScript entry through tsx)', async () => {
    expect(await measureParallel(STANDARD_CHAIN, images, 2, 3)).toBeGreaterThan(0);
  });

  it('times augment.preview through dispatch on an imported photo', async () => {
    const r = await measurePreview(STANDARD_CHAIN, 2);
    expect(r.firstMs).toBeGreaterThan(0);
    expect(r.warmMs).toHaveLength(2);
    expect(r.diskCacheMs.length).toBeGreaterThan(0);
  });
});
