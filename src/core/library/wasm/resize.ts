import { placement, triangleFilter, type Fit, type Pixels } from '../thumbnail-resize.js';
import { RESIZE_WASM_BASE64 } from './resize-wasm.js';

/**
 * resize.c's kernels: thumbnail-resize.ts's downscale and orientation of RGB pixels in one go,
 * with the same bytes as `orientPixels(resizeTriangle(…))` for about a fifth of the CPU. One
 * module and one linear memory per thread; each call lays its buffers out from the heap base.
 */
interface ResizeExports {
  readonly __heap_base: { readonly value: number };
  resize_rows(src: number, mid: number, stride: number, outH: number, first: number, w: number, taps: number): void;
  resize_cols_rgb(mid: number, out: number, stride: number, outW: number, outH: number, first: number, w: number, taps: number, dx: number, dy: number, origin: number): void;
}

/** The part of the WebAssembly API used here (the engine's TypeScript settings have no DOM types). */
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer; grow(pages: number): number };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const PAGE = 65536;
const align = (n: number) => (n + 15) & ~15;

let instance: { fn: ResizeExports; memory: InstanceType<WasmApi['Memory']>; base: number } | null = null;

function kernels(): NonNullable<typeof instance> {
  if (!instance) {
    const memory = new wasm.Memory({ initial: 2 });
    const module = new wasm.Module(Buffer.from(RESIZE_WASM_BASE64, 'base64'));
    const fn = new wasm.Instance(module, { env: { memory } }).exports as ResizeExports;
    instance = { fn, memory, base: align(fn.__heap_base.value) };
  }
  return instance;
}

/**
 * RGB pixels resized to fit.width × fit.height (triangle filter, see thumbnail-resize.ts), then
 * turned as EXIF `orientation` says: the result is that size, or turned a quarter for orientations 5–8.
 */
export function resizeOrientRgb(src: Pixels, fit: Fit, orientation: number | null): Pixels & { channels: 3 } {
  const { width: outW, height: outH, scale } = fit;
  if (src.channels !== 3) throw new Error('resizeOrientRgb takes RGB pixels');
  const k = kernels();
  const rows = triangleFilter(src.height, outH, scale);
  const cols = triangleFilter(src.width, outW, scale);
  const stride = src.width * 3;
  const place = placement(outW, outH, orientation);
  // mid gets 16 bytes more: the column pass reads one u16 past a row's last pixel.
  const sizes = [src.data.length, stride * outH * 2 + 16, outW * outH * 3, rows.first.byteLength, rows.weights.byteLength, cols.first.byteLength, cols.weights.byteLength];
  const at: number[] = [];
  let end = k.base;
  for (const size of sizes) {
    at.push(end);
    end = align(end + size);
  }
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / PAGE));
  const [s, mid, out, rowFirst, rowWeights, colFirst, colWeights] = at as [number, number, number, number, number, number, number];
  const heap = new Uint8Array(k.memory.buffer);
  heap.set(src.data, s);
  heap.set(new Uint8Array(rows.first.buffer), rowFirst);
  heap.set(new Uint8Array(rows.weights.buffer), rowWeights);
  heap.set(new Uint8Array(cols.first.buffer), colFirst);
  heap.set(new Uint8Array(cols.weights.buffer), colWeights);
  k.fn.resize_rows(s, mid, stride, outH, rowFirst, rowWeights, rows.taps);
  k.fn.resize_cols_rgb(mid, out, stride, outW, outH, colFirst, colWeights, cols.taps, place.dx, place.dy, place.origin);
  return { data: heap.slice(out, out + outW * outH * 3), width: place.width, height: place.height, channels: 3 };
}
