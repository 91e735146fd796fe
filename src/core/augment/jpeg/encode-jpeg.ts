import type { RawImage } from '../op.js';
import { jpegCodec } from './codec-module.js';

/**
 * encoder.c's baseline JPEG encoder: the bytes sharp writes for `jpeg({ quality })` from RGB
 * pixels (4:2:0, optimised Huffman tables, no metadata), without libvips' per-call set-up. The
 * tests hold it to sharp's output byte for byte.
 */
export function encodeJpeg(image: RawImage, quality: number): Buffer {
  if (image.channels !== 3 || image.data.length !== image.width * image.height * 3) {
    throw new Error(`encodeJpeg needs RGB pixels, got ${image.width}×${image.height}×${image.channels}`);
  }
  const codec = jpegCodec();
  const { width: w, height: h } = image;
  const [rgb, scratch, out] = codec.layout([image.data.length, codec.fn.scratch_size(w, h), codec.fn.output_size(w, h)]);
  codec.bytes(rgb!, image.data.length).set(image.data);
  const length = codec.fn.encode(rgb!, w, h, Math.round(quality), scratch!, out!);
  return Buffer.from(codec.bytes(out!, length));
}
