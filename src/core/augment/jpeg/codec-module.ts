import { KernelModule } from '../../wasm/kernel-module.js';
import { CODEC_WASM_BASE64 } from './codec-wasm.js';

/** The exports of encoder.c and decoder.c, built together by build.sh. */
interface CodecExports {
  readonly __heap_base: { readonly value: number };
  scratch_size(w: number, h: number): number;
  output_size(w: number, h: number): number;
  encode(rgb: number, w: number, h: number, quality: number, scratch: number, out: number): number;
  decode_scratch_size(w: number, h: number): number;
  decode(data: number, n: number, left: number, top: number, width: number, height: number, scratch: number, scratchBytes: number, out: number): number;
}

export type JpegCodec = KernelModule<CodecExports>;

let codec: JpegCodec | null = null;

/** This thread's codec module, instantiated on first use (a 30 kB module, well under a millisecond). */
export function jpegCodec(): JpegCodec {
  codec ??= new KernelModule<CodecExports>(CODEC_WASM_BASE64);
  return codec;
}
