import { KernelModule } from '../../wasm/kernel-module.js';
import type { RawImage } from '../op.js';
import { ENCODER_WASM_BASE64 } from './encoder-wasm.js';

/**
 * encoder.c's baseline JPEG encoder: the bytes sharp writes for `jpeg({ quality })` from RGB
 * pixels (4:2:0, optimised Huffman tables, no metadata), without libvips' per-call set-up. The
 * tests hold it to sharp's output byte for byte.
 */
interface EncoderExports {
  readonly __heap_base: { readonly value: number };
  scratch_size(w: number, h: number): number;
  output_size(w: number, h: number): number;
  encode(rgb: number, w: number, h: number, quality: number, scratch: number, out: number): number;
}

let encoder: KernelModule<EncoderExports> | null = null;

export function encodeJpeg(image: RawImage, quality: number): Buffer {
  if (image.channels !== 3 || image.data.length !== image.width * image.height * 3) {
    throw new Error(`encodeJpeg needs RGB pixels, got ${image.width}×${image.height}×${image.channels}`);
  }
  encoder ??= new KernelModule<EncoderExports>(ENCODER_WASM_BASE64);
  const { width: w, height: h } = image;
  const [rgb, scratch, out] = encoder.layout([image.data.length, encoder.fn.scratch_size(w, h), encoder.fn.output_size(w, h)]);
  encoder.bytes(rgb!, image.data.length).set(image.data);
  const length = encoder.fn.encode(rgb!, w, h, Math.round(quality), scratch!, out!);
  return Buffer.from(encoder.bytes(out!, length));
}
