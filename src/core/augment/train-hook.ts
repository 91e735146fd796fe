import * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../shared/api/errors.js';
import { applyOps } from './apply.js';
import { cachedChoice, choiceKey, pickFaster, rememberChoice, type AugmentImplName, type ImplMeasurement } from './impl-choice.js';
import type { ConcreteOp } from './op.js';
import { parsePipeline, type Pipeline } from './pipeline.js';
import { sampleRng } from './rng.js';
import { sampleOps } from './sample.js';
import { applyOpsTfBatch } from './tf/apply-tf.js';

export type AugmentImpl = AugmentImplName | 'auto';

export interface AugmentBatchInput {
  /** Decoded training-size pixels: interleaved RGB bytes per image (size·size·3), or one [B, S, S, 3] tensor of 0..255 values. */
  readonly images: readonly Uint8Array[] | tf.Tensor4D;
  /** One per image, in the same order: with the pipeline seed and the epoch it seeds the image's draw. */
  readonly imageIds: readonly (number | string)[];
  /** 0-based; the copy index of the draw, so every epoch sees a fresh, replayable augmentation. */
  readonly epoch: number;
  /** A parsed pipeline or its JSON ({"version": 1, "ops": [...]}). */
  readonly pipeline: Pipeline | unknown;
  readonly seed: number;
  /** 'auto' (default) measures both once per backend, size and pipeline and keeps the faster. */
  readonly impl?: AugmentImpl;
  /** The active tfjs backend's name (default tf.getBackend()); keys the 'auto' choice. Never switched here. */
  readonly backend?: string;
  /** Training size; read from the images when absent. Outputs always come back at this size. */
  readonly size?: number;
  /** 'pixels' (default): bytes per image. 'tensor': one float32 [B, S, S, 3] tensor scaled to 0..1 (caller disposes). */
  readonly output?: 'pixels' | 'tensor';
  readonly signal?: AbortSignal;
}

export interface AugmentedBatch {
  /** The implementation that made these images. */
  readonly impl: AugmentImplName;
  readonly size: number;
  /** The concrete ops each image got (replayable with applyOps / applyOpsTf). */
  readonly ops: ConcreteOp[][];
  readonly pixels: Uint8Array[] | null;
  readonly tensor: tf.Tensor4D | null;
  /** Set when this call measured both implementations for 'auto'. */
  readonly measurement: ImplMeasurement | null;
}

function toPipeline(p: Pipeline | unknown): Pipeline {
  if (typeof p === 'object' && p !== null && 'nodes' in p && 'json' in p) return p as Pipeline;
  return parsePipeline(p, 'Training pipeline');
}

function batchSize(input: AugmentBatchInput): { count: number; size: number } {
  const imgs = input.images;
  const count = Array.isArray(imgs) ? imgs.length : (imgs as tf.Tensor4D).shape[0];
  if (input.imageIds.length !== count) {
    throw new ApiError('invalid_input', `augmentBatch: ${count} images but ${input.imageIds.length} imageIds; give one id per image.`);
  }
  if (!Number.isSafeInteger(input.epoch) || input.epoch < 0) throw new ApiError('invalid_input', `augmentBatch: epoch must be a whole number ≥ 0, got ${input.epoch}.`);
  let size = input.size;
  if (Array.isArray(imgs)) {
    (imgs as readonly Uint8Array[]).forEach((px, i) => {
      const side = size ?? Math.round(Math.sqrt(px.length / 3));
      if (px.length !== side * side * 3) {
        throw new ApiError('invalid_input', `augmentBatch: image ${i} (id ${String(input.imageIds[i])}) has ${px.length} bytes; a ${side}×${side} RGB image has ${side * side * 3}.`);
      }
      size ??= side;
    });
  } else {
    const [, h, w, c] = (imgs as tf.Tensor4D).shape;
    if (h !== w || c !== 3 || (size !== undefined && size !== h)) {
      throw new ApiError('invalid_input', `augmentBatch: the image tensor is [${(imgs as tf.Tensor4D).shape.join(', ')}]; expected [B, ${size ?? 'S'}, ${size ?? 'S'}, 3].`);
    }
    size = h;
  }
  return { count, size: size ?? 0 };
}

async function pixelsOf(input: AugmentBatchInput, count: number, size: number): Promise<Uint8Array[]> {
  if (Array.isArray(input.images)) return [...(input.images as readonly Uint8Array[])];
  const values = await (input.images as tf.Tensor4D).data();
  const per = size * size * 3;
  return Array.from({ length: count }, (_v, i) => Uint8Array.from(values.subarray(i * per, (i + 1) * per), (v) => Math.max(0, Math.min(255, Math.round(v)))));
}

async function runSharp(pixels: readonly Uint8Array[], ops: readonly ConcreteOp[][], size: number, signal?: AbortSignal): Promise<Uint8Array[]> {
  const target = { width: size, height: size };
  const outs = await Promise.all(pixels.map((data, i) => applyOps({ data, width: size, height: size, channels: 3 }, ops[i]!, { outputSize: target, signal })));
  return outs.map((o) => o.data);
}

/** The tf side on the whole batch: [B, S, S, 3] float32 of whole numbers 0..255. */
async function runTf(input: AugmentBatchInput, count: number, size: number, ops: readonly ConcreteOp[][], signal?: AbortSignal): Promise<tf.Tensor4D> {
  const batch = Array.isArray(input.images)
    ? tf.tidy(() => {
        const per = size * size * 3;
        const flat = new Float32Array(count * per);
        (input.images as readonly Uint8Array[]).forEach((px, i) => flat.set(px, i * per));
        return tf.tensor4d(flat, [count, size, size, 3]);
      })
    : (input.images as tf.Tensor4D);
  try {
    return await applyOpsTfBatch(batch, ops, { outputSize: { width: size, height: size }, signal });
  } finally {
    if (batch !== input.images) batch.dispose();
  }
}

async function tensorToPixels(t: tf.Tensor4D): Promise<Uint8Array[]> {
  const [B, S] = t.shape;
  const values = await t.data();
  const per = S * S * 3;
  return Array.from({ length: B }, (_v, i) => Uint8Array.from(values.subarray(i * per, (i + 1) * per)));
}

function pixelsToTensor(pixels: readonly Uint8Array[], size: number): tf.Tensor4D {
  const per = size * size * 3;
  const flat = new Float32Array(pixels.length * per);
  pixels.forEach((p, i) => {
    for (let j = 0; j < per; j++) flat[i * per + j] = p[j]! / 255;
  });
  return tf.tensor4d(flat, [pixels.length, size, size, 3]);
}

type Made = { readonly tf: tf.Tensor4D } | { readonly sharp: Uint8Array[] };
type Result = { readonly pixels: Uint8Array[] | null; readonly tensor: tf.Tensor4D | null };

/** Converts what an implementation made into the requested output, disposing the tf intermediate. */
async function finish(made: Made, wantTensor: boolean, size: number): Promise<Result> {
  if ('sharp' in made) return wantTensor ? { pixels: null, tensor: pixelsToTensor(made.sharp, size) } : { pixels: made.sharp, tensor: null };
  try {
    if (wantTensor) return { pixels: null, tensor: tf.tidy(() => tf.div(made.tf, 255)) as tf.Tensor4D };
    return { pixels: await tensorToPixels(made.tf), tensor: null };
  } finally {
    made.tf.dispose();
  }
}

/**
 * THE training hook: augments one batch of decoded training-size images with a pipeline, every
 * image drawing its own concrete ops from the rng of (pipeline seed, image id, epoch) — the same
 * draw whichever implementation runs, so sharp (preview, export) and TensorFlow.js (training) agree
 * within the parity tolerances of test/core/augment/tf-parity.test.ts. Outputs come back at the
 * training size (a size-changing pipeline is resampled to it in its last geometric resample).
 */
export async function augmentBatch(input: AugmentBatchInput): Promise<AugmentedBatch> {
  const pipeline = toPipeline(input.pipeline);
  const { count, size } = batchSize(input);
  const square = { width: size, height: size };
  const ops = input.imageIds.map((id) => sampleOps(pipeline, sampleRng(input.seed, id, input.epoch), square));
  const wantTensor = input.output === 'tensor';
  const sharp = async (): Promise<Made> => ({ sharp: await runSharp(await pixelsOf(input, count, size), ops, size, input.signal) });
  const tensor = async (): Promise<Made> => ({ tf: await runTf(input, count, size, ops, input.signal) });

  let impl: AugmentImplName = input.impl === 'tf' ? 'tf' : 'sharp';
  let measurement: ImplMeasurement | null = null;
  let made: Made | null = null;
  if (count > 0 && (input.impl ?? 'auto') === 'auto') {
    const key = choiceKey(input.backend ?? tf.getBackend(), size, pipeline.json);
    const cached = cachedChoice(key);
    if (cached) impl = cached.impl;
    else {
      // One image through tf first, so kernel set-up (and wasm compilation) is not billed to tf.
      const warm = { ...input, images: (await pixelsOf(input, count, size)).slice(0, 1) };
      (await runTf(warm, 1, size, ops.slice(0, 1))).dispose();
      const t0 = performance.now();
      const bySharp = await sharp();
      const t1 = performance.now();
      const byTf = await tensor();
      const t2 = performance.now();
      measurement = pickFaster({ sharp: (t1 - t0) / count, tf: (t2 - t1) / count });
      rememberChoice(key, measurement);
      impl = measurement.impl;
      made = impl === 'tf' ? byTf : bySharp;
      if ('tf' in byTf && impl === 'sharp') byTf.tf.dispose();
    }
  }
  made ??= impl === 'tf' ? await tensor() : await sharp();
  const result = await finish(made, wantTensor, size);
  return { impl, size, ops, ...result, measurement };
}

/** The request shape of the training engine's AugmentHook (src/core/train/data/augment-hook.ts). */
export interface TrainAugmentRequest {
  readonly samples: readonly { readonly imageId: number; readonly pixels: Uint8Array }[];
  readonly size: number;
  readonly epoch: number;
}

export interface TrainHookOptions {
  readonly impl?: AugmentImpl;
  /** Name of the backend training runs on (keys the 'auto' choice); default the active one. */
  readonly backend?: string;
}

/**
 * A ready-made AugmentHook: validates the pipeline now (a bad pipeline fails the run before any
 * training, naming the op and field), then augments each batch with `augmentBatch`.
 */
export function createTrainAugmentHook(pipelineJson: unknown, seed: number, options: TrainHookOptions = {}): (request: TrainAugmentRequest) => Promise<Uint8Array[]> {
  const pipeline = parsePipeline(pipelineJson, 'Training pipeline');
  return async (request) => {
    const out = await augmentBatch({
      images: request.samples.map((s) => s.pixels),
      imageIds: request.samples.map((s) => s.imageId),
      epoch: request.epoch,
      pipeline,
      seed,
      size: request.size,
      impl: options.impl ?? 'auto',
      ...(options.backend ? { backend: options.backend } : {}),
    });
    return out.pixels!;
  };
}
