import type { Job } from '../jobs/job-registry.js';
import { applyOps } from './apply.js';
import { encodeImage, tileImages, type EncodeFormat } from './image-io.js';
import type { ConcreteOp, RawImage } from './op.js';
import type { Pipeline } from './pipeline.js';
import { sampleRng } from './rng.js';
import { sampleNode, sampleOps } from './sample.js';

export interface PreviewOptions {
  /** Variants to draw (copy indices 0…n−1, the same indices an export uses). */
  readonly n: number;
  readonly seed: number;
  /** Key of the source in the seed (the image id), so preview, training and export draw alike. */
  readonly imageKey: number | string;
  readonly format?: EncodeFormat;
  readonly quality?: number;
  /** Also lay the variants out as one grid image. */
  readonly grid?: boolean;
  readonly job?: Pick<Job, 'progress' | 'throwIfCancelled'>;
}

export interface RenderedImage {
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
}

export interface PreviewVariant extends RenderedImage {
  readonly index: number;
  readonly ops: ConcreteOp[];
}

export interface PreviewResult {
  readonly variants: PreviewVariant[];
  readonly grid: RenderedImage | null;
}

async function render(image: RawImage, format: EncodeFormat, quality: number): Promise<RenderedImage> {
  return { bytes: await encodeImage(image, { format, quality }), width: image.width, height: image.height };
}

/** `n` augmented variants of one decoded source, each with the concrete ops it was made with. */
export async function renderVariants(source: RawImage, pipeline: Pipeline, options: PreviewOptions): Promise<PreviewResult> {
  const format = options.format ?? 'jpeg';
  const quality = options.quality ?? 85;
  const images: RawImage[] = [];
  // Encoding runs on libuv's threads while the next variant is computed on this one.
  const pending: Promise<PreviewVariant>[] = [];
  try {
    for (let index = 0; index < options.n; index++) {
      options.job?.throwIfCancelled();
      const ops = sampleOps(pipeline, sampleRng(options.seed, options.imageKey, index), source);
      const image = await applyOps(source, ops);
      images.push(image);
      pending.push(render(image, format, quality).then((r) => ({ index, ops, ...r })));
      options.job?.progress({ done: index + 1, total: options.n, phase: 'preview' });
    }
  } catch (err) {
    // Let encodes already started finish before giving up, so none fails unobserved.
    await Promise.allSettled(pending);
    throw err;
  }
  const grid = options.grid ? render(tileImages(images, Math.ceil(Math.sqrt(images.length))), format, quality) : null;
  return { variants: await Promise.all(pending), grid: await grid };
}

export interface StripItem extends RenderedImage {
  /** Where the op sits in the pipeline ("2" = ops[2]). */
  readonly path: string;
  readonly op: string;
  readonly label: string;
  readonly ops: ConcreteOp[];
}

/**
 * Each top-level op applied alone to the source with p forced to 1. Each op draws what it would
 * draw for copy 0, so the strip explains variant 0 op by op.
 */
export async function renderOpStrip(
  source: RawImage,
  pipeline: Pipeline,
  options: Omit<PreviewOptions, 'n' | 'grid'> & { strip?: boolean },
): Promise<{ items: StripItem[]; strip: RenderedImage | null }> {
  const format = options.format ?? 'jpeg';
  const quality = options.quality ?? 85;
  const rng = sampleRng(options.seed, options.imageKey, 0);
  const items: StripItem[] = [];
  const images: RawImage[] = [source];
  const total = pipeline.nodes.length;
  for (const node of pipeline.nodes) {
    options.job?.throwIfCancelled();
    const { ops } = sampleNode(node, rng, source, true);
    const image = await applyOps(source, ops);
    images.push(image);
    items.push({ path: node.path, op: node.op.id, label: node.op.label, ops, ...(await render(image, format, quality)) });
    options.job?.progress({ done: items.length, total, phase: 'op strip' });
  }
  const strip = options.strip ? await render(tileImages(images, images.length), format, quality) : null;
  return { items, strip };
}
