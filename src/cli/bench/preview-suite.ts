import { measurePreview } from '../../core/augment/bench/preview-latency.js';
import type { PipelineJson } from '../../core/augment/pipeline.js';
import { median, type BenchFigure, type BenchOptions, type BenchSuite } from './index.js';

const round = (x: number, places = 1) => Math.round(x * 10 ** places) / 10 ** places;

/** A typical editing pipeline: geometry, colour, detail and erasing. */
const PREVIEW_PIPELINE: PipelineJson = {
  version: 1,
  ops: [
    { op: 'hflip', p: 0.5 },
    { op: 'rotate', degrees: [-30, 30], fill: 'reflect' },
    { op: 'random_resized_crop', width: 224, height: 224, scale: [0.5, 1] },
    { op: 'brightness' },
    { op: 'contrast' },
    { op: 'saturation' },
    { op: 'hue' },
    { op: 'gaussian_blur', p: 0.5 },
    { op: 'cutout', p: 0.5 },
  ],
};

export const previewSuite: BenchSuite = {
  name: 'preview',
  summary: 'augment.preview: 9 variants + grid of a 2000×1500 photo at 384 px, through dispatch',
  async run(opts: BenchOptions): Promise<BenchFigure[]> {
    const calls = opts.quick ? 3 : 30;
    opts.log(`preview: importing a 2000×1500 photo, then ${calls} calls…`);
    const r = await measurePreview(PREVIEW_PIPELINE, calls, opts.signal);
    const warm = round(median(r.warmMs));
    return [
      {
        name: 'preview 9 variants 2000px',
        value: warm,
        unit: 'ms',
        peer: null,
        ratio: null,
        note: `median of ${r.warmMs.length} calls with the decoded 384 px source cached (min ${round(Math.min(...r.warmMs))}, max ${round(Math.max(...r.warmMs))}); JPEG data URLs + grid; goal < 150 ms`,
      },
      {
        name: 'preview 9 variants 2000px, source from disk cache',
        value: round(median(r.diskCacheMs)),
        unit: 'ms',
        peer: null,
        ratio: null,
        note: `median of ${r.diskCacheMs.length} calls after dropping the in-memory cache`,
      },
      {
        name: 'preview 9 variants 2000px, first call (decode with shrink-on-load)',
        value: round(r.firstMs),
        unit: 'ms',
        peer: null,
        ratio: null,
        note: 'one call, includes decoding the original and warming up the code',
      },
    ];
  },
};
