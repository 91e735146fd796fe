import { KernelModule } from '../../../wasm/kernel-module.js';
import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';

/**
 * The WebAssembly kernels of kernels.c: blur, the colour run's per-pixel pass and the warp's
 * bilinear rows, with the same bytes as the TypeScript loops and 2–5× less CPU. One module and
 * one linear memory per thread; every call lays its buffers out from the heap base, so calls do
 * not keep anything in wasm memory between them (except a warp, which owns it while it runs).
 */
interface KernelExports {
  readonly __heap_base: { readonly value: number };
  blur(src: number, out: number, tmp: number, padded: number, rows: number, w: number, W: number, H: number, r: number): void;
  histograms(d: number, n: number, h: number): void;
  colour_run(d: number, out: number, lut: number, n: number, f: number, hue: number, s6: number): void;
  bilinear_row(sd: number, sw: number, base: number, out: number, xa: number, xb: number, rx: number, dx: number, ry: number, dy: number): void;
}

type Kernels = KernelModule<KernelExports>;

let kernels: Kernels | null = null;

/** This thread's kernels, instantiated on first use (a 10 kB module, well under a millisecond). */
export function wasmKernels(): Kernels {
  kernels ??= new KernelModule<KernelExports>(KERNELS_WASM_BASE64);
  return kernels;
}

/** convolve.ts's separable blur: `w` holds the 2r + 1 centred 12-bit weights. */
export function blurWasm(src: Uint8Array, width: number, height: number, w: Int32Array, r: number): Uint8Array {
  const k = wasmKernels();
  const n = width * height * 3;
  const [s, o, tmp, padded, rows, weights] = k.layout([n, n, n * 2, (width + 2 * r) * 3, r * 8, w.length * 4]);
  k.bytes(s!, n).set(src);
  k.bytes(weights!, w.length * 4).set(new Uint8Array(w.buffer, w.byteOffset, w.length * 4));
  k.fn.blur(s!, o!, tmp!, padded!, rows!, weights!, width, height, r);
  return k.bytes(o!, n).slice();
}

/**
 * colour-run.ts's per-pixel pass: the table `makeLut` gives (it may ask for the source's
 * per-channel histograms), saturation weight `f`, then hue (sixths) unless null.
 */
export function colourRunWasm(
  src: Uint8Array,
  makeLut: (histograms: () => [Uint32Array, Uint32Array, Uint32Array]) => Uint8Array,
  f: number,
  s6: number | null,
): Uint8Array {
  const k = wasmKernels();
  const n = src.length;
  const [s, o, l, h] = k.layout([n, n, 256, 768 * 4]);
  k.bytes(s!, n).set(src);
  const lut = makeLut(() => {
    k.fn.histograms(s!, n, h!);
    const all = new Uint32Array(k.bytes(h!, 768 * 4).slice().buffer);
    return [all.subarray(0, 256), all.subarray(256, 512), all.subarray(512)];
  });
  k.bytes(l!, 256).set(lut);
  k.fn.colour_run(s!, o!, l!, n, f, s6 === null ? 0 : 1, s6 ?? 0);
  return k.bytes(o!, n).slice();
}
