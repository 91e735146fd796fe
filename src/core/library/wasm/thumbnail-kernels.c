/*
 * The thumbnail downscale of thumbnail-resize.ts, compiled to WebAssembly (see build.sh): the same
 * integer arithmetic as its TypeScript twin, so the bytes are identical, at a fraction of the CPU
 * (the row pass vectorises). No libc: the caller lays out every buffer in linear memory.
 */
#include <stdint.h>
#include <wasm_simd128.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef int32_t i32;

#define EXPORT(name) __attribute__((export_name(#name)))

/* taps ≤ 16 keeps the splatted weights of a row in registers or on the stack; more splats per use. */
static inline void rows_pass(const u8 *restrict src, u16 *restrict mid, int stride, int outH, const i32 *first, const i32 *w, int taps) {
  const v128_t half = wasm_i32x4_splat(1 << 7);
  v128_t wk[16];
  for (int y = 0; y < outH; y++) {
    const u8 *top = src + first[y] * stride;
    const i32 *wy = w + y * taps;
    u16 *restrict m = mid + y * stride;
    if (taps <= 16) for (int k = 0; k < taps; k++) wk[k] = wasm_i16x8_splat((short)wy[k]);
    int j = 0;
    for (; j + 16 <= stride; j += 16) {
      v128_t a0 = half, a1 = half, a2 = half, a3 = half;
      const u8 *s = top + j;
      for (int k = 0; k < taps; k++, s += stride) {
        const v128_t weight = taps <= 16 ? wk[k] : wasm_i16x8_splat((short)wy[k]);
        const v128_t px = wasm_v128_load(s);
        const v128_t lo = wasm_u16x8_extend_low_u8x16(px);
        const v128_t hi = wasm_u16x8_extend_high_u8x16(px);
        a0 = wasm_i32x4_add(a0, wasm_i32x4_extmul_low_i16x8(lo, weight));
        a1 = wasm_i32x4_add(a1, wasm_i32x4_extmul_high_i16x8(lo, weight));
        a2 = wasm_i32x4_add(a2, wasm_i32x4_extmul_low_i16x8(hi, weight));
        a3 = wasm_i32x4_add(a3, wasm_i32x4_extmul_high_i16x8(hi, weight));
      }
      wasm_v128_store(m + j, wasm_u16x8_narrow_i32x4(wasm_i32x4_shr(a0, 8), wasm_i32x4_shr(a1, 8)));
      wasm_v128_store(m + j + 8, wasm_u16x8_narrow_i32x4(wasm_i32x4_shr(a2, 8), wasm_i32x4_shr(a3, 8)));
    }
    for (; j < stride; j++) {
      i32 acc = 1 << 7;
      for (int k = 0; k < taps; k++) acc += wy[k] * top[k * stride + j];
      m[j] = (u16)(acc >> 8);
    }
  }
}

/*
 * Row pass: output row y mixes `taps` input rows from first[y] with weights
 * w[y·taps ..] (14-bit, summing to 1 << 14) into mid, value × 64: (128 + Σ w·p) >> 8. Sixteen
 * bytes at a time, the sums in four i32x4 registers across the taps; the last stride % 16 bytes
 * one at a time.
 */
EXPORT(resize_rows)
void resize_rows(const u8 *restrict src, u16 *restrict mid, int stride, int outH, const i32 *first, const i32 *w, int taps) {
  switch (taps) { /* the usual tap counts unroll */
    case 2: rows_pass(src, mid, stride, outH, first, w, 2); break;
    case 3: rows_pass(src, mid, stride, outH, first, w, 3); break;
    case 4: rows_pass(src, mid, stride, outH, first, w, 4); break;
    case 5: rows_pass(src, mid, stride, outH, first, w, 5); break;
    default: rows_pass(src, mid, stride, outH, first, w, taps);
  }
}

static inline void cols_pass(const u16 *restrict mid, u8 *restrict out, int stride, int outW, int outH, const i32 *first, const i32 *w, int taps, int dx, int dy, int origin) {
  const v128_t half = wasm_i32x4_splat(1 << 19);
  for (int y = 0; y < outH; y++) {
    const u16 *row = mid + y * stride;
    int at = origin + y * dy;
    for (int x = 0; x < outW; x++, at += dx) {
      const u16 *p = row + first[x] * 3;
      const i32 *wx = w + x * taps;
      v128_t acc = half;
      for (int k = 0; k < taps; k++, p += 3) acc = wasm_i32x4_add(acc, wasm_i32x4_mul(wasm_u32x4_load16x4(p), wasm_i32x4_splat(wx[k])));
      acc = wasm_i32x4_shr(acc, 20);
      const v128_t bytes = wasm_u8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(acc, acc), half);
      u8 *o = out + at * 3;
      wasm_v128_store16_lane(o, bytes, 0);
      wasm_v128_store8_lane(o + 2, bytes, 2);
    }
  }
}

/*
 * Column pass for RGB: output pixel x of row y mixes `taps` pixels of mid from first[x],
 * (2^19 + Σ w·m) >> 20, and lands at pixel index origin + x·dx + y·dy of out, which is how the EXIF
 * orientation is applied. Each tap loads four u16 (the pixel's R, G, B and one more, ignored), so
 * mid needs two readable bytes past its end.
 */
EXPORT(resize_cols_rgb)
void resize_cols_rgb(const u16 *restrict mid, u8 *restrict out, int stride, int outW, int outH, const i32 *first, const i32 *w, int taps, int dx, int dy, int origin) {
  switch (taps) {
    case 2: cols_pass(mid, out, stride, outW, outH, first, w, 2, dx, dy, origin); break;
    case 3: cols_pass(mid, out, stride, outW, outH, first, w, 3, dx, dy, origin); break;
    case 4: cols_pass(mid, out, stride, outW, outH, first, w, 4, dx, dy, origin); break;
    case 5: cols_pass(mid, out, stride, outW, outH, first, w, 5, dx, dy, origin); break;
    default: cols_pass(mid, out, stride, outW, outH, first, w, taps, dx, dy, origin);
  }
}

/*
 * measure-image.ts's one pass over RGB thumbnail pixels, with the same IEEE-double arithmetic in
 * the same order (build.sh turns off fused multiply-add), so every figure is bit for bit the one
 * its TypeScript loop gave: the luma summed-area table sat ((width + 1) × (height + 1), first row
 * and column zero), per-cell channel sums and pixel counts of the 4 × 4 colour layout, and in
 * sums[0], sums[1] the luma sum and the colour spread sum (2 · (max − min) per pixel).
 */
#define LAYOUT_SIDE 4

EXPORT(scan_rgb)
void scan_rgb(const u8 *restrict data, int width, int height, double *restrict sat, const i32 *starts, double *restrict cell_sums, double *restrict cell_counts, double *sums) {
  const int stride = width + 1;
  for (int x = 0; x < stride; x++) sat[x] = 0;
  double luma_sum = 0;
  double chroma_sum = 0;
  int o = 0;
  for (int y = 0; y < height; y++) {
    const int cell_row = (y * LAYOUT_SIDE) / height * LAYOUT_SIDE;
    const int above = y * stride + 1;
    const int here = above + stride;
    sat[here - 1] = 0;
    double row = 0;
    double spread = 0;
    int x = 0;
    for (int k = 0; k < LAYOUT_SIDE; k++) {
      const int end = starts[k + 1];
      int rs = 0, gs = 0, bs = 0;
      for (; x < end; x++, o += 3) {
        const int r = data[o], g = data[o + 1], b = data[o + 2];
        rs += r;
        gs += g;
        bs += b;
        const int hi = r > g ? (r > b ? r : b) : g > b ? g : b;
        const int lo = r < g ? (r < b ? r : b) : g < b ? g : b;
        spread += hi - lo;
        row += 0.299 * r + 0.587 * g + 0.114 * b;
        sat[here + x] = sat[above + x] + row;
      }
      const int cell = (cell_row + k) * 3;
      cell_sums[cell] += rs;
      cell_sums[cell + 1] += gs;
      cell_sums[cell + 2] += bs;
      cell_counts[cell_row + k] += end - starts[k];
    }
    luma_sum += row;
    chroma_sum += 2 * spread;
  }
  sums[0] = luma_sum;
  sums[1] = chroma_sum;
}

/* For each of n + 1 cell edges along an axis: the pixel it falls in and how far into it (0–1). */
static void edges(double start, double step, int n, int limit, i32 *at, double *frac) {
  for (int i = 0; i <= n; i++) {
    double x = start + i * step;
    if (limit < x) x = limit;
    int a = (int)__builtin_floor(x);
    if (a > limit - 1) a = limit - 1;
    at[i] = a;
    frac[i] = x - a;
  }
}

/*
 * measure-image.ts's area-averaging resample of a region of the summed-area table `sat` (as
 * scan_rgb leaves it) to out_w × out_h floats, with its arithmetic in its order. Scratch: corners
 * ((out_w + 1) · (out_h + 1) doubles), x_at/x_frac (out_w + 1), y_at/y_frac (out_h + 1).
 */
EXPORT(resample_area)
void resample_area(const double *sat, int width, int height, int left, int top, int region_w, int region_h, int out_w, int out_h,
                   double *restrict corners, i32 *x_at, double *x_frac, i32 *y_at, double *y_frac, float *restrict out) {
  const double sx = (double)region_w / out_w;
  const double sy = (double)region_h / out_h;
  edges(left, sx, out_w, width, x_at, x_frac);
  edges(top, sy, out_h, height, y_at, y_frac);
  const int stride = width + 1;
  const int cw = out_w + 1;
  for (int j = 0, c = 0; j <= out_h; j++) {
    const double fy = y_frac[j];
    const int row_top = y_at[j] * stride;
    const int row_bottom = row_top + stride;
    for (int i = 0; i <= out_w; i++, c++) {
      const int x0 = x_at[i];
      const double fx = x_frac[i];
      const double t0 = sat[row_top + x0];
      const double upper = fx == 0 ? t0 : t0 + fx * (sat[row_top + x0 + 1] - t0);
      if (fy == 0) {
        corners[c] = upper;
        continue;
      }
      const double b0 = sat[row_bottom + x0];
      const double lower = fx == 0 ? b0 : b0 + fx * (sat[row_bottom + x0 + 1] - b0);
      corners[c] = upper + fy * (lower - upper);
    }
  }
  const double area = sx * sy;
  for (int j = 0, o = 0; j < out_h; j++) {
    for (int i = 0, c = j * cw; i < out_w; i++, c++, o++) {
      out[o] = (float)((corners[c + cw + 1] - corners[c + 1] - corners[c + cw] + corners[c]) / area);
    }
  }
}
