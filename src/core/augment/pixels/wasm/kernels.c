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
typedef v128_t v;

/* Four pixels' channels (12 bytes at p, 16 read) as i32 lanes. */
static inline void load_rgb4(const u8 *p, v *r, v *g, v *b) {
  const v x = wasm_v128_load(p), z = wasm_i32x4_splat(0);
  *r = wasm_i8x16_shuffle(x, z, 0, 16, 16, 16, 3, 16, 16, 16, 6, 16, 16, 16, 9, 16, 16, 16);
  *g = wasm_i8x16_shuffle(x, z, 1, 16, 16, 16, 4, 16, 16, 16, 7, 16, 16, 16, 10, 16, 16, 16);
  *b = wasm_i8x16_shuffle(x, z, 2, 16, 16, 16, 5, 16, 16, 16, 8, 16, 16, 16, 11, 16, 16, 16);
}

/* Lanes already in 0…255 back to 12 interleaved bytes. */
static inline void store_rgb4(u8 *p, v r, v g, v b) {
  const v rg = wasm_u8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(r, g), wasm_i16x8_narrow_i32x4(b, b));
  const v px = wasm_i8x16_shuffle(rg, rg, 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11, 0, 0, 0, 0);
  wasm_v128_store64_lane(p, px, 0);
  wasm_v128_store32_lane(p + 8, px, 2);
}

static inline v clamp255x4(v x) { return wasm_i32x4_min(wasm_i32x4_max(x, wasm_i32x4_splat(0)), wasm_i32x4_splat(255)); }

static inline v saturate4(v x, v l, v f) {
  const v base = wasm_i32x4_add(wasm_i32x4_shl(l, 10), wasm_i32x4_splat(512));
  return clamp255x4(wasm_i32x4_shr(wasm_i32x4_add(base, wasm_i32x4_mul(f, wasm_i32x4_sub(x, l))), 10));
}

/* Two lanes of hue_pixel's doubles: sector, min + c·f + 0.5 and max − c·f + 0.5, truncated. */
static inline void hue_lanes(v num, v c, v base, v mn, v mx, v s6, v *sector, v *rise, v *fall) {
  const v one = wasm_f64x2_splat(1.0), six = wasm_f64x2_splat(6.0), zero = wasm_f64x2_splat(0.0), half = wasm_f64x2_splat(0.5);
  const v cd = wasm_f64x2_convert_low_i32x4(c);
  const v divisor = wasm_v128_bitselect(one, cd, wasm_f64x2_eq(cd, zero));
  v h = wasm_f64x2_add(wasm_f64x2_div(wasm_f64x2_convert_low_i32x4(num), divisor), wasm_f64x2_convert_low_i32x4(base));
  h = wasm_f64x2_add(h, s6);
  h = wasm_v128_bitselect(wasm_f64x2_add(h, six), wasm_v128_bitselect(wasm_f64x2_sub(h, six), h, wasm_f64x2_ge(h, six)), wasm_f64x2_lt(h, zero));
  h = wasm_v128_bitselect(wasm_f64x2_sub(h, six), h, wasm_f64x2_ge(h, six));
  *sector = wasm_i32x4_trunc_sat_f64x2_zero(h);
  const v cf = wasm_f64x2_mul(cd, wasm_f64x2_sub(h, wasm_f64x2_convert_low_i32x4(*sector)));
  *rise = wasm_i32x4_trunc_sat_f64x2_zero(wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_convert_low_i32x4(mn), cf), half));
  *fall = wasm_i32x4_trunc_sat_f64x2_zero(wasm_f64x2_add(wasm_f64x2_sub(wasm_f64x2_convert_low_i32x4(mx), cf), half));
}

#define HIGH(x) wasm_i32x4_shuffle(x, x, 2, 3, 2, 3)
#define JOIN(a, b) wasm_i32x4_shuffle(a, b, 0, 1, 4, 5)
#define SEL(mask, yes, no) wasm_v128_bitselect(yes, no, mask)

/* hue_pixel for four pixels: the same doubles in the same order, two lanes at a time. */
static inline void hue4(v r, v g, v b, double s6d, v *ro, v *go, v *bo) {
  const v mx = wasm_i32x4_max(r, wasm_i32x4_max(g, b)), mn = wasm_i32x4_min(r, wasm_i32x4_min(g, b));
  const v c = wasm_i32x4_sub(mx, mn);
  const v is_r = wasm_i32x4_eq(mx, r);
  const v is_g = wasm_v128_andnot(wasm_i32x4_eq(mx, g), is_r);
  const v num = SEL(is_r, wasm_i32x4_sub(g, b), SEL(is_g, wasm_i32x4_sub(b, r), wasm_i32x4_sub(r, g)));
  const v base = SEL(is_r, wasm_i32x4_splat(0), SEL(is_g, wasm_i32x4_splat(2), wasm_i32x4_splat(4)));
  const v s6 = wasm_f64x2_splat(s6d);
  v sec0, rise0, fall0, sec1, rise1, fall1;
  hue_lanes(num, c, base, mn, mx, s6, &sec0, &rise0, &fall0);
  hue_lanes(HIGH(num), HIGH(c), HIGH(base), HIGH(mn), HIGH(mx), s6, &sec1, &rise1, &fall1);
  const v sector = JOIN(sec0, sec1), rise = JOIN(rise0, rise1), fall = JOIN(fall0, fall1);
  const v s0 = wasm_i32x4_eq(sector, wasm_i32x4_splat(0)), s1 = wasm_i32x4_eq(sector, wasm_i32x4_splat(1));
  const v s2 = wasm_i32x4_eq(sector, wasm_i32x4_splat(2)), s3 = wasm_i32x4_eq(sector, wasm_i32x4_splat(3));
  const v s4 = wasm_i32x4_eq(sector, wasm_i32x4_splat(4)), s5 = wasm_i32x4_eq(sector, wasm_i32x4_splat(5));
  /* PICK_R, PICK_G, PICK_B: 0 max, 1 min, 2 rise, 3 fall. */
  *ro = SEL(wasm_v128_or(s0, s5), mx, SEL(s1, fall, SEL(wasm_v128_or(s2, s3), mn, rise)));
  *go = SEL(s0, rise, SEL(wasm_v128_or(s1, s2), mx, SEL(s3, fall, mn)));
  *bo = SEL(wasm_v128_or(s0, s1), mn, SEL(s2, rise, SEL(wasm_v128_or(s3, s4), mx, fall)));
}

EXPORT(colour_run)
void colour_run(const u8 *d, u8 *out, const u8 *lut, int n, int f, int hue, double s6) {
  /* The table into `out` first (a gather SIMD cannot do), then four pixels at a time in place. */
  for (int i = 0; i < n; i++) out[i] = lut[d[i]];
  const v fv = wasm_i32x4_splat(f);
  int i = 0;
  for (; i + 12 <= n; i += 12) {
    v r, g, b;
    load_rgb4(out + i, &r, &g, &b);
    const v l = wasm_i32x4_shr(wasm_i32x4_add(wasm_i32x4_add(wasm_i32x4_mul(r, wasm_i32x4_splat(19595)), wasm_i32x4_mul(g, wasm_i32x4_splat(38470))),
                                              wasm_i32x4_add(wasm_i32x4_mul(b, wasm_i32x4_splat(7471)), wasm_i32x4_splat(32768))), 16);
    r = saturate4(r, l, fv);
    g = saturate4(g, l, fv);
    b = saturate4(b, l, fv);
    if (hue) hue4(r, g, b, s6, &r, &g, &b);
    store_rgb4(out + i, r, g, b);
  }
  for (; i < n; i += 3) {
    const int r = out[i], g = out[i + 1], b = out[i + 2];
    const int l = luma(r, g, b);
    if (hue) {
      hue_pixel(out + i, clamp255(saturate_value(r, l, f)), clamp255(saturate_value(g, l, f)), clamp255(saturate_value(b, l, f)), s6);
    } else {
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
