import { placement, triangleFilter, type Fit, type Pixels } from '../thumbnail-resize.js';
import { KernelModule } from '../../wasm/kernel-module.js';
import { THUMBNAIL_KERNELS_WASM_BASE64 } from './thumbnail-kernels-wasm.js';

/**
 * thumbnail-kernels.c: thumbnail-resize.ts's downscale and orientation of RGB pixels in one go,
 * with the same bytes as `orientPixels(resizeTriangle(…))` for a small part of the CPU, and the
 * quality measures' pass over RGB pixels. One module and one linear memory per thread; each call
 * lays its buffers out from the heap base.
 */
interface KernelExports {
  readonly __heap_base: { readonly value: number };
  resize_rows(src: number, mid: number, stride: number, outH: number, first: number, w: number, taps: number): void;
  resize_cols_rgb(mid: number, out: number, stride: number, outW: number, outH: number, first: number, w: number, taps: number, dx: number, dy: number, origin: number): void;
  scan_rgb(data: number, width: number, height: number, sat: number, starts: number, cellSums: number, cellCounts: number, sums: number): void;
  resample_area(
    sat: number,
    width: number,
    height: number,
    left: number,
    top: number,
    regionW: number,
    regionH: number,
    outW: number,
    outH: number,
    corners: number,
    xAt: number,
    xFrac: number,
    yAt: number,
    yFrac: number,
    out: number,
  ): void;
}

let instance: KernelModule<KernelExports> | null = null;

function kernels(): KernelModule<KernelExports> {
  instance ??= new KernelModule<KernelExports>(THUMBNAIL_KERNELS_WASM_BASE64);
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
  const [s, mid, out, rowFirst, rowWeights, colFirst, colWeights] = k.layout([
    src.data.length,
    stride * outH * 2 + 16,
    outW * outH * 3,
    rows.first.byteLength,
    rows.weights.byteLength,
    cols.first.byteLength,
    cols.weights.byteLength,
  ]) as [number, number, number, number, number, number, number];
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

/** What `scanRgbWasm` gives: see measure-image.ts. The table stays in wasm memory for `resampleAreaWasm`, until the next other kernel call. */
export interface RgbScan {
  width: number;
  height: number;
  /** Byte offset of the summed-area table in wasm memory, and of the first free byte after it. */
  sat: number;
  end: number;
  cellSums: Float64Array;
  cellCounts: Float64Array;
  lumaSum: number;
  chromaSum: number;
}

/**
 * measure-image.ts's pass over RGB pixels (luma summed-area table, colour layout sums, luma and
 * colour spread sums), bit for bit as its TypeScript loop computed them.
 */
export function scanRgbWasm(data: Uint8Array, width: number, height: number, starts: Int32Array, cells: number): RgbScan {
  const k = kernels();
  const satLength = (width + 1) * (height + 1);
  const [d, sat, st, sums, counts, totals, end] = k.layout([data.length, satLength * 8, starts.byteLength, cells * 3 * 8, cells * 8, 16]) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const heap = new Uint8Array(k.memory.buffer);
  heap.set(data, d);
  heap.set(new Uint8Array(starts.buffer, starts.byteOffset, starts.byteLength), st);
  heap.fill(0, sums, sums + cells * 3 * 8);
  heap.fill(0, counts, counts + cells * 8);
  k.fn.scan_rgb(d, width, height, sat, st, sums, counts, totals);
  const buffer = k.memory.buffer;
  const [lumaSum, chromaSum] = new Float64Array(buffer, totals, 2);
  return {
    width,
    height,
    sat,
    end,
    cellSums: new Float64Array(buffer, sums, cells * 3).slice(),
    cellCounts: new Float64Array(buffer, counts, cells).slice(),
    lumaSum: lumaSum!,
    chromaSum: chromaSum!,
  };
}

/**
 * measure-image.ts's area-averaging resample of `region` of the table scanRgbWasm left in wasm
 * memory to outW × outH, bit for bit as its TypeScript twin gives it.
 */
export function resampleAreaWasm(scan: RgbScan, region: { left: number; top: number; width: number; height: number }, outW: number, outH: number): Float32Array {
  const k = kernels();
  const [corners, xAt, xFrac, yAt, yFrac, out] = k.layout(
    [(outW + 1) * (outH + 1) * 8, (outW + 1) * 4, (outW + 1) * 8, (outH + 1) * 4, (outH + 1) * 8, outW * outH * 4],
    scan.end,
  ) as [number, number, number, number, number, number];
  k.fn.resample_area(scan.sat, scan.width, scan.height, region.left, region.top, region.width, region.height, outW, outH, corners, xAt, xFrac, yAt, yFrac, out);
  return new Float32Array(k.memory.buffer, out, outW * outH).slice();
}
