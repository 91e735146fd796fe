/*
 * Per-pixel kernels of the augmentation ops, compiled to WebAssembly (see build.sh). Each one is
 * the same integer / IEEE-double arithmetic as its TypeScript twin in ../, so the bytes are
 * identical; wasm runs them 2–5× faster than V8 does typed-array loops (no bounds checks, SIMD).
 * No libc: the caller lays out every buffer in linear memory and passes offsets.
 */
#include <stdint.h>
#include <wasm_simd128.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef int32_t i32;

#define EXPORT(name) __attribute__((export_name(#name)))

static int reflect_index(int i, int n) {
  if (n <= 1) return 0;
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
  return i;
}

static void pad_row(const u8 *d, int row, int W, int r, u8 *padded) {
  const int stride = W * 3;
  for (int j = 0; j < stride; j++) padded[r * 3 + j] = d[row + j];
  for (int t = 0; t < r; t++) {
    const int left = row + reflect_index(t - r, W) * 3;
    const int right = row + reflect_index(W + t, W) * 3;
    const int pr = (W + r + t) * 3;
    for (int c = 0; c < 3; c++) {
      padded[t * 3 + c] = d[left + c];
      padded[pr + c] = d[right + c];
    }
  }
}

/* Horizontal pass: padded 8-bit row → 16-bit (value × 16); weights w[0..2r] sum to 4096. */
static inline void horizontal(const u8 *restrict p, u16 *restrict tmp, int stride, const i32 *w, int R) {
  for (int j = 0; j < stride; j++) {
    i32 acc = w[R] * p[j + 3 * R] + 128;
    for (int t = 0; t < R; t++) acc += w[t] * (p[j + 3 * t] + p[j + 6 * R - 3 * t]);
    tmp[j] = (u16)(acc >> 8);
  }
}

static inline void vertical(const u16 *tmp, u8 *restrict out, int row, int stride, const i32 *w, const i32 *A, const i32 *B, int R) {
  for (int j = 0; j < stride; j++) {
    i32 acc = w[R] * tmp[row + j] + 32768;
    for (int t = 0; t < R; t++) acc += w[t] * (tmp[A[t] + j] + tmp[B[t] + j]);
    out[row + j] = (u8)(acc >> 16);
  }
}

/*
 * Separable Gaussian blur with reflect borders (convolve.ts gaussianBlur): w has 2r + 1 centred
 * weights. Scratch: tmp (W·H·3 u16), padded ((W + 2r)·3 bytes), rows (2r i32).
 */
EXPORT(blur)
void blur(const u8 *src, u8 *out, u16 *tmp, u8 *padded, i32 *rows, const i32 *w, int W, int H, int r) {
  const int stride = W * 3;
  for (int y = 0; y < H; y++) {
    pad_row(src, y * stride, W, r, padded);
    u16 *t = tmp + y * stride;
    switch (r) { /* constant radii unroll and vectorise */
      case 1: horizontal(padded, t, stride, w, 1); break;
      case 2: horizontal(padded, t, stride, w, 2); break;
      case 3: horizontal(padded, t, stride, w, 3); break;
      case 4: horizontal(padded, t, stride, w, 4); break;
      default: horizontal(padded, t, stride, w, r);
    }
  }
  i32 *A = rows;
  i32 *B = rows + r;
  for (int y = 0; y < H; y++) {
    for (int t = 0; t < r; t++) {
      A[t] = reflect_index(y + t - r, H) * stride;
      B[t] = reflect_index(y + r - t, H) * stride;
    }
    switch (r) {
      case 1: vertical(tmp, out, y * stride, stride, w, A, B, 1); break;
      case 2: vertical(tmp, out, y * stride, stride, w, A, B, 2); break;
      case 3: vertical(tmp, out, y * stride, stride, w, A, B, 3); break;
      case 4: vertical(tmp, out, y * stride, stride, w, A, B, 4); break;
      default: vertical(tmp, out, y * stride, stride, w, A, B, r);
    }
  }
}

static inline int luma(int r, int g, int b) { return (r * 19595 + g * 38470 + b * 7471 + 32768) >> 16; }
static inline int saturate_value(int v, int l, int f) { return (l * 1024 + 512 + f * (v - l)) >> 10; }
static inline int clamp255(int v) { return v < 0 ? 0 : v > 255 ? 255 : v; }

/* Which of {max, min, rise, fall} each channel takes in each sixth of the wheel (colour.ts huePixel). */
static const u8 PICK_R[6] = {0, 3, 1, 1, 2, 0};
static const u8 PICK_G[6] = {2, 0, 0, 3, 1, 1};
static const u8 PICK_B[6] = {1, 1, 2, 0, 0, 3};

/*
 * colour.ts huePixel without branches on the data (random hues mispredict them): the same doubles
 * in the same order. A grey pixel (c = 0) divides by 1 instead, and every pick is then the grey.
 */
static inline void hue_pixel(u8 *out, int r, int g, int b, double s6) {
  const int max = r > g ? (r > b ? r : b) : g > b ? g : b;
  const int min = r < g ? (r < b ? r : b) : g < b ? g : b;
  const int c = max - min;
  const int is_r = max == r;
  const int is_g = !is_r && max == g;
  const int num = is_r ? g - b : is_g ? b - r : r - g;
  const double base = is_r ? 0.0 : is_g ? 2.0 : 4.0;
  double h = (double)num / (double)(c ? c : 1) + base;
  h += s6;
  h = h < 0 ? h + 6.0 : h >= 6.0 ? h - 6.0 : h;
  h = h >= 6.0 ? h - 6.0 : h;
  const int sector = (int)h;
  const double f = h - (double)sector;
  const double cf = (double)c * f;
  int v[4];
  v[0] = max;
  v[1] = min;
  v[2] = (int)((double)min + cf + 0.5);
  v[3] = (int)((double)max - cf + 0.5);
  out[0] = (u8)v[PICK_R[sector]];
  out[1] = (u8)v[PICK_G[sector]];
  out[2] = (u8)v[PICK_B[sector]];
}

/* Per-channel histograms of n/3 RGB pixels into h[0..767] (red, green, blue; 256 bins each). */
EXPORT(histograms)
void histograms(const u8 *d, int n, uint32_t *h) {
  for (int i = 0; i < 768; i++) h[i] = 0;
  for (int i = 0; i < n; i += 3) {
    h[d[i]]++;
    h[256 + d[i + 1]]++;
    h[512 + d[i + 2]]++;
  }
}

/*
 * The per-pixel part of a colour run (colour-run.ts applyColourRun): table, saturation (weight f,
 * 1024 = none), then a hue shift of s6 sixths when hue is non-zero.
 */
EXPORT(colour_run)
void colour_run(const u8 *d, u8 *out, const u8 *lut, int n, int f, int hue, double s6) {
  if (hue) {
    for (int i = 0; i < n; i += 3) {
      const int r = lut[d[i]], g = lut[d[i + 1]], b = lut[d[i + 2]];
      const int l = luma(r, g, b);
      hue_pixel(out + i, clamp255(saturate_value(r, l, f)), clamp255(saturate_value(g, l, f)), clamp255(saturate_value(b, l, f)), s6);
    }
  } else {
    for (int i = 0; i < n; i += 3) {
      const int r = lut[d[i]], g = lut[d[i + 1]], b = lut[d[i + 2]];
      const int l = luma(r, g, b);
      out[i] = (u8)clamp255(saturate_value(r, l, f));
      out[i + 1] = (u8)clamp255(saturate_value(g, l, f));
      out[i + 2] = (u8)clamp255(saturate_value(b, l, f));
    }
  }
}

/* JavaScript's Math.round (halves up) for values well inside the int range. */
static inline int js_round(double x) {
  const double f = __builtin_floor(x);
  return (int)(x - f >= 0.5 ? f + 1 : f);
}

/*
 * warp.ts bilinearRow: 16.16 fixed-point steps re-anchored every 128 pixels, 8-bit weights; sd holds
 * rows of sw pixels and `base` is the offset of its first pixel in the whole source. The three
 * channels go through the same integer arithmetic side by side in i32x4 lanes (lane 3 is unused),
 * so the bytes are those of the scalar loop.
 */
EXPORT(bilinear_row)
void bilinear_row(const u8 *sd, int sw, int base, u8 *out, int xa, int xb, double rx, double dx, double ry, double dy) {
  const int stride = sw * 3;
  const int stepX = js_round(dx * 65536);
  const int stepY = js_round(dy * 65536);
  const v128_t half = wasm_i32x4_splat(32768);
  int o = 0;
  for (int start = xa; start <= xb; start += 128) {
    const int end = xb < start + 127 ? xb : start + 127;
    int fx = js_round((rx + start * dx) * 65536);
    int fy = js_round((ry + start * dy) * 65536);
    for (int x = start; x <= end; x++, o += 3, fx += stepX, fy += stepY) {
      const v128_t wx = wasm_i32x4_splat(((fx & 0xffff) + 128) >> 8);
      const v128_t wy = wasm_i32x4_splat(((fy & 0xffff) + 128) >> 8);
      const u8 *s = sd + (((fy >> 16) * sw + (fx >> 16)) * 3 - base);
      const u8 *s2 = s + stride;
      /*
       * The left tap's channels (s[0..2]) and the right tap's (s[3..5]) as 32-bit lanes; the second
       * load also reads s[6], unused, which is inside memory (warp.ts lays the output after the source).
       */
      const v128_t a = wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(wasm_v128_load32_zero(s)));
      const v128_t a3 = wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(wasm_v128_load32_zero(s + 3)));
      const v128_t b = wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(wasm_v128_load32_zero(s2)));
      const v128_t b3 = wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(wasm_v128_load32_zero(s2 + 3)));
      const v128_t top = wasm_i32x4_add(wasm_i32x4_shl(a, 8), wasm_i32x4_mul(wasm_i32x4_sub(a3, a), wx));
      const v128_t bottom = wasm_i32x4_add(wasm_i32x4_shl(b, 8), wasm_i32x4_mul(wasm_i32x4_sub(b3, b), wx));
      const v128_t v = wasm_i32x4_shr(wasm_i32x4_add(wasm_i32x4_add(wasm_i32x4_shl(top, 8), wasm_i32x4_mul(wasm_i32x4_sub(bottom, top), wy)), half), 16);
      out[o] = (u8)wasm_i32x4_extract_lane(v, 0);
      out[o + 1] = (u8)wasm_i32x4_extract_lane(v, 1);
      out[o + 2] = (u8)wasm_i32x4_extract_lane(v, 2);
    }
  }
}
