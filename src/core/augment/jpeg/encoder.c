// Baseline JPEG encoder for 8-bit RGB, 4:2:0, optimised Huffman tables: the same steps and integer
// arithmetic as libjpeg-turbo with the settings sharp uses by default (jccolor.c, jcsample.c
// h2v2_downsample, jfdctint.c, jcdctmgr.c, jccoefct.c's dummy blocks, jchuff.c's optimal tables),
// so it writes the same bytes as sharp's `jpeg({ quality })`. Built by build.sh; no libc.
#include "jpeg-common.h"

static inline void copy_row(uint8_t* to, const uint8_t* from, int n) { __builtin_memcpy(to, from, n); }

// ITU-T T.81 Annex K tables, natural order.
static const uint16_t LUMA_QUANT[64] = {
  16, 11, 10, 16, 24,  40,  51,  61,  12, 12, 14, 19, 26,  58,  60,  55,
  14, 13, 16, 24, 40,  57,  69,  56,  14, 17, 22, 29, 51,  87,  80,  62,
  18, 22, 37, 56, 68,  109, 103, 77,  24, 35, 55, 64, 81,  104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
};
static const uint16_t CHROMA_QUANT[64] = {
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
  24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
};

// ---- colour conversion (jccolor.c) ----
#define CBCR_OFFSET (128 << SCALEBITS)

// jccolor.c's table sums written out (its tables hold FIX(c) · i, plus the rounding terms here);
// a rounding fudge of 0.5 − epsilon keeps Cb and Cr at most 255.
static inline uint8_t to_y(const uint8_t* p) { return (uint8_t)((FIX(0.29900) * p[0] + FIX(0.58700) * p[1] + FIX(0.11400) * p[2] + ONE_HALF) >> SCALEBITS); }
static inline uint8_t to_cb(const uint8_t* p) {
  return (uint8_t)((-FIX(0.16874) * p[0] - FIX(0.33126) * p[1] + FIX(0.50000) * p[2] + CBCR_OFFSET + ONE_HALF - 1) >> SCALEBITS);
}
static inline uint8_t to_cr(const uint8_t* p) {
  return (uint8_t)((FIX(0.50000) * p[0] - FIX(0.41869) * p[1] - FIX(0.08131) * p[2] + CBCR_OFFSET + ONE_HALF - 1) >> SCALEBITS);
}

// The same sums for four pixels at once; the 16-byte load may read 4 bytes past them.
static inline v128_t ycc4(const uint8_t* p) {
  v128_t v = wasm_v128_load(p), z = wasm_i32x4_splat(0);
  v128_t r = wasm_i8x16_shuffle(v, z, 0, 16, 16, 16, 3, 16, 16, 16, 6, 16, 16, 16, 9, 16, 16, 16);
  v128_t g = wasm_i8x16_shuffle(v, z, 1, 16, 16, 16, 4, 16, 16, 16, 7, 16, 16, 16, 10, 16, 16, 16);
  v128_t b = wasm_i8x16_shuffle(v, z, 2, 16, 16, 16, 5, 16, 16, 16, 8, 16, 16, 16, 11, 16, 16, 16);
#define K(c) wasm_i32x4_splat(c)
  v128_t y = wasm_i32x4_add(wasm_i32x4_add(wasm_i32x4_mul(r, K(FIX(0.29900))), wasm_i32x4_mul(g, K(FIX(0.58700)))),
                            wasm_i32x4_add(wasm_i32x4_mul(b, K(FIX(0.11400))), K(ONE_HALF)));
  v128_t cb = wasm_i32x4_add(wasm_i32x4_sub(wasm_i32x4_mul(b, K(FIX(0.50000))), wasm_i32x4_mul(r, K(FIX(0.16874)))),
                             wasm_i32x4_sub(K(CBCR_OFFSET + ONE_HALF - 1), wasm_i32x4_mul(g, K(FIX(0.33126)))));
  v128_t cr = wasm_i32x4_add(wasm_i32x4_sub(wasm_i32x4_mul(r, K(FIX(0.50000))), wasm_i32x4_mul(g, K(FIX(0.41869)))),
                             wasm_i32x4_sub(K(CBCR_OFFSET + ONE_HALF - 1), wasm_i32x4_mul(b, K(FIX(0.08131)))));
#undef K
  y = wasm_u32x4_shr(y, SCALEBITS);
  cb = wasm_u32x4_shr(cb, SCALEBITS);
  cr = wasm_u32x4_shr(cr, SCALEBITS);
  // Bytes 0–3 Y, 4–7 Cb, 8–11 Cr.
  return wasm_u8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(y, cb), wasm_i16x8_narrow_i32x4(cr, cr));
}

// One row to Y, Cb and Cr at full size, the last column repeated out to `width`.
static void convert_row(const uint8_t* row, int w, int width, uint8_t* y, uint8_t* cb, uint8_t* cr) {
  int x = 0;
  for (; x + 4 <= w; x += 4) {
    v128_t t = ycc4(row + x * 3);
    wasm_v128_store32_lane(y + x, t, 0);
    wasm_v128_store32_lane(cb + x, t, 1);
    wasm_v128_store32_lane(cr + x, t, 2);
  }
  for (; x < w; x++) {
    y[x] = to_y(row + x * 3);
    cb[x] = to_cb(row + x * 3);
    cr[x] = to_cr(row + x * 3);
  }
  for (; x < width; x++) {
    y[x] = y[w - 1];
    cb[x] = cb[w - 1];
    cr[x] = cr[w - 1];
  }
}

// jcsample.c h2v2_downsample: each 2×2 summed with a bias of 1, 2, 1, 2… along the row.
static void downsample(const uint8_t* a, const uint8_t* b, int width, uint8_t* out) {
  const v128_t bias = wasm_i16x8_make(1, 2, 1, 2, 1, 2, 1, 2);
  for (int x = 0; x < width; x += 16) {
    v128_t s = wasm_i16x8_add(wasm_u16x8_extadd_pairwise_u8x16(wasm_v128_load(a + x)), wasm_u16x8_extadd_pairwise_u8x16(wasm_v128_load(b + x)));
    s = wasm_u16x8_shr(wasm_i16x8_add(s, bias), 2);
    wasm_v128_store64_lane(out + x / 2, wasm_u8x16_narrow_i16x8(s, s), 0);
  }
}

// Y at full size and Cb, Cr downsampled, with libjpeg's edge padding: columns repeated out to
// whole MCUs, an odd last row repeated before downsampling, the last rows repeated after it.
static void planes(const uint8_t* rgb, int w, int h, uint8_t* Y, int yw, int yh, uint8_t* Cb, uint8_t* Cr, int cw, int ch, uint8_t* rows) {
  uint8_t *cb0 = rows, *cr0 = rows + yw, *cb1 = rows + 2 * yw, *cr1 = rows + 3 * yw;
  for (int y = 0; y < h; y += 2) {
    convert_row(rgb + (size_t)y * w * 3, w, yw, Y + (size_t)y * yw, cb0, cr0);
    int second = y + 1 < h;
    if (second) convert_row(rgb + (size_t)(y + 1) * w * 3, w, yw, Y + (size_t)(y + 1) * yw, cb1, cr1);
    downsample(cb0, second ? cb1 : cb0, yw, Cb + (size_t)(y / 2) * cw);
    downsample(cr0, second ? cr1 : cr0, yw, Cr + (size_t)(y / 2) * cw);
  }
  for (int y = h; y < yh; y++) copy_row(Y + (size_t)y * yw, Y + (size_t)(h - 1) * yw, yw);
  int real_rows = (h + 1) >> 1;
  for (int y = real_rows; y < ch; y++) {
    copy_row(Cb + (size_t)y * cw, Cb + (size_t)(real_rows - 1) * cw, cw);
    copy_row(Cr + (size_t)y * cw, Cr + (size_t)(real_rows - 1) * cw, cw);
  }
}

// ---- forward DCT (jfdctint.c, "islow") and quantisation ----
#define SHL wasm_i32x4_shl

// One pass of jfdctint.c over eight vectors of four lanes: d[i] holds input i of four rows (pass 1)
// or four columns (pass 2); the results replace them.
static inline void fdct_pass(v* d, int pass1) {
  v t0 = ADD(d[0], d[7]), t7 = SUB(d[0], d[7]), t1 = ADD(d[1], d[6]), t6 = SUB(d[1], d[6]);
  v t2 = ADD(d[2], d[5]), t5 = SUB(d[2], d[5]), t3 = ADD(d[3], d[4]), t4 = SUB(d[3], d[4]);
  v t10 = ADD(t0, t3), t13 = SUB(t0, t3), t11 = ADD(t1, t2), t12 = SUB(t1, t2);
  const int n = pass1 ? CONST_BITS - PASS1_BITS : CONST_BITS + PASS1_BITS;
  if (pass1) {
    d[0] = SHL(ADD(t10, t11), PASS1_BITS);
    d[4] = SHL(SUB(t10, t11), PASS1_BITS);
  } else {
    d[0] = VDESCALE(ADD(t10, t11), PASS1_BITS);
    d[4] = VDESCALE(SUB(t10, t11), PASS1_BITS);
  }
  even_rotation(&t13, &t12);
  d[2] = VDESCALE(t13, n);
  d[6] = VDESCALE(t12, n);
  odd_part(&t4, &t5, &t6, &t7);
  d[7] = VDESCALE(t4, n);
  d[5] = VDESCALE(t5, n);
  d[3] = VDESCALE(t6, n);
  d[1] = VDESCALE(t7, n);
}

// Quantisation tables of jpeg_set_quality(quality, force_baseline = TRUE), natural order.
static uint16_t qtab[2][64];
// Per coefficient: divisor (table × 8), its half, and a 32-bit reciprocal exact for |x| < 2^17.
static uint32_t qhalf[2][64], qrecip[2][64];

static void quant_tables(int quality) {
  if (quality <= 0) quality = 1;
  if (quality > 100) quality = 100;
  int scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  for (int t = 0; t < 2; t++) {
    const uint16_t* base = t ? CHROMA_QUANT : LUMA_QUANT;
    for (int i = 0; i < 64; i++) {
      int32_t v = ((int32_t)base[i] * scale + 50) / 100;
      if (v <= 0) v = 1;
      if (v > 255) v = 255;
      qtab[t][i] = (uint16_t)v;
      uint32_t divisor = (uint32_t)v << 3;
      qhalf[t][i] = divisor >> 1;
      qrecip[t][i] = (uint32_t)((((uint64_t)1 << 32) + divisor - 1) / divisor);
    }
  }
}

// Rounded division by the divisor, sign kept: (|x| + divisor / 2) × reciprocal >> 32 is exact here.
static inline v quantize4(v x, const uint32_t* half, const uint32_t* recip) {
  v s = wasm_i32x4_shr(x, 31);
  v n = ADD(wasm_i32x4_abs(x), wasm_v128_load(half));
  v r = wasm_v128_load(recip);
  v lo = wasm_u64x2_shr(wasm_u64x2_extmul_low_u32x4(n, r), 32);
  v hi = wasm_u64x2_shr(wasm_u64x2_extmul_high_u32x4(n, r), 32);
  v q = wasm_i32x4_shuffle(lo, hi, 0, 2, 4, 6);
  return SUB(wasm_v128_xor(q, s), s);
}

// One 8×8 block of `plane` (stride `stride`) into zigzag-ordered coefficients; returns the mask
// of the nonzero ones (bit k for zigzag position k).
static uint64_t block(const uint8_t* plane, int stride, int t, int16_t* out) {
  v rows[8][2];
  const v centre = wasm_i32x4_splat(128);
  for (int r = 0; r < 8; r++) {
    v px = wasm_u16x8_load8x8(plane + (size_t)r * stride);
    rows[r][0] = SUB(wasm_u32x4_extend_low_u16x8(px), centre);
    rows[r][1] = SUB(wasm_u32x4_extend_high_u16x8(px), centre);
  }
  // Pass 1 with a lane per row: d[i] = input i of rows 4h…4h+3.
  v cols[2][8];
  for (int h = 0; h < 2; h++) {
    v* d = cols[h];
    for (int c = 0; c < 2; c++) {
      d[4 * c] = rows[4 * h][c];
      d[4 * c + 1] = rows[4 * h + 1][c];
      d[4 * c + 2] = rows[4 * h + 2][c];
      d[4 * c + 3] = rows[4 * h + 3][c];
      transpose4(&d[4 * c], &d[4 * c + 1], &d[4 * c + 2], &d[4 * c + 3]);
    }
    fdct_pass(d, 1);
  }
  // Pass 2 with a lane per column: e[r] = row r of columns 4c…4c+3.
  int16_t natural[64] __attribute__((aligned(16)));
  v q[8][2];
  for (int c = 0; c < 2; c++) {
    v e[8];
    for (int h = 0; h < 2; h++) {
      e[4 * h] = cols[h][4 * c];
      e[4 * h + 1] = cols[h][4 * c + 1];
      e[4 * h + 2] = cols[h][4 * c + 2];
      e[4 * h + 3] = cols[h][4 * c + 3];
      transpose4(&e[4 * h], &e[4 * h + 1], &e[4 * h + 2], &e[4 * h + 3]);
    }
    fdct_pass(e, 0);
    for (int k = 0; k < 8; k++) q[k][c] = quantize4(e[k], &qhalf[t][k * 8 + 4 * c], &qrecip[t][k * 8 + 4 * c]);
  }
  for (int k = 0; k < 8; k++) wasm_v128_store(natural + k * 8, wasm_i16x8_narrow_i32x4(q[k][0], q[k][1]));
  for (int k = 0; k < 64; k++) out[k] = natural[NATURAL[k]];
  uint64_t mask = 0;
  const v zero = wasm_i32x4_splat(0);
  for (int k = 0; k < 8; k++) mask |= (uint64_t)wasm_i16x8_bitmask(wasm_i16x8_ne(wasm_v128_load(out + k * 8), zero)) << (k * 8);
  return mask;
}

// ---- Huffman statistics, optimal tables (jchuff.c) and the entropy-coded data ----
static uint32_t freq[4][257];

static inline int nbits_of(uint32_t v) { return v ? 32 - __builtin_clz(v) : 0; }

static void count_block(const int16_t* b, uint64_t mask, int dc_pred, uint32_t* dc, uint32_t* ac) {
  int32_t diff = b[0] - dc_pred;
  dc[nbits_of((uint32_t)(diff < 0 ? -diff : diff))]++;
  int last = 0;
  for (uint64_t m = mask & ~(uint64_t)1; m; m &= m - 1) {
    int k = __builtin_ctzll(m), r = k - last - 1;
    while (r > 15) { ac[0xF0]++; r -= 16; }
    int32_t v = b[k];
    ac[(r << 4) + nbits_of((uint32_t)(v < 0 ? -v : v))]++;
    last = k;
  }
  if (last < 63) ac[0]++;
}

struct table {
  uint8_t bits[17];
  uint8_t vals[256];
  int count;
  uint16_t code[256];
  uint8_t size[256];
};
static struct table tables[4];

// jpeg_gen_optimal_table: ties go to the larger symbol, lengths are limited to 16 bits and the
// pseudo-symbol 256 keeps any real code from being all ones.
static void optimal_table(uint32_t* f, struct table* t) {
  uint8_t bits[33] = {0};
  int codesize[257] = {0};
  int others[257];
  for (int i = 0; i < 257; i++) others[i] = -1;
  f[256] = 1;
  // The symbols still counted, in increasing order: the same search as over all 257.
  int live[257], nlive = 0;
  for (int i = 0; i <= 256; i++)
    if (f[i]) live[nlive++] = i;
  for (;;) {
    int c1 = -1, c2 = -1, at2 = -1;
    uint32_t v = 1000000000u;
    for (int j = 0; j < nlive; j++)
      if (f[live[j]] <= v) { v = f[live[j]]; c1 = live[j]; }
    v = 1000000000u;
    for (int j = 0; j < nlive; j++)
      if (f[live[j]] <= v && live[j] != c1) { v = f[live[j]]; c2 = live[j]; at2 = j; }
    if (c2 < 0) break;
    f[c1] += f[c2];
    f[c2] = 0;
    for (int j = at2; j + 1 < nlive; j++) live[j] = live[j + 1];
    nlive--;
    codesize[c1]++;
    while (others[c1] >= 0) { c1 = others[c1]; codesize[c1]++; }
    others[c1] = c2;
    codesize[c2]++;
    while (others[c2] >= 0) { c2 = others[c2]; codesize[c2]++; }
  }
  for (int i = 0; i <= 256; i++)
    if (codesize[i]) bits[codesize[i]]++;
  int i;
  for (i = 32; i > 16; i--) {
    while (bits[i] > 0) {
      int j = i - 2;
      while (bits[j] == 0) j--;
      bits[i] -= 2;
      bits[i - 1]++;
      bits[j + 1] += 2;
      bits[j]--;
    }
  }
  while (bits[i] == 0) i--;
  bits[i]--;
  for (int l = 0; l <= 16; l++) t->bits[l] = bits[l];
  int p = 0;
  for (int l = 1; l <= 32; l++)
    for (int s = 0; s <= 255; s++)
      if (codesize[s] == l) t->vals[p++] = (uint8_t)s;
  t->count = p;
  // Canonical codes (jpeg_make_c_derived_tbl).
  for (int s = 0; s < 256; s++) t->size[s] = 0;
  uint32_t code = 0;
  int k = 0;
  for (int l = 1; l <= 16; l++) {
    for (int n = 0; n < t->bits[l]; n++, k++) {
      t->code[t->vals[k]] = (uint16_t)code++;
      t->size[t->vals[k]] = (uint8_t)l;
    }
    code <<= 1;
  }
}

struct writer {
  uint8_t* out;
  uint64_t acc;
  int n;
};

// Appends the low `n` bits of `v` (n ≤ 32), stuffing a zero after every 0xFF byte.
static inline void put_bits(struct writer* w, uint32_t v, int n) {
  w->acc = (w->acc << n) | (v & (uint32_t)(((uint64_t)1 << n) - 1));
  w->n += n;
  while (w->n >= 8) {
    w->n -= 8;
    uint8_t byte = (uint8_t)(w->acc >> w->n);
    *w->out++ = byte;
    if (byte == 0xFF) *w->out++ = 0;
  }
}

static void encode_block(struct writer* w, const int16_t* b, uint64_t mask, int dc_pred, const struct table* dc, const struct table* ac) {
  int32_t diff = b[0] - dc_pred, bitsv = diff;
  if (diff < 0) { diff = -diff; bitsv--; }
  int n = nbits_of((uint32_t)diff);
  put_bits(w, ((uint32_t)dc->code[n] << n) | ((uint32_t)bitsv & ((1u << n) - 1)), dc->size[n] + n);
  int last = 0;
  for (uint64_t m = mask & ~(uint64_t)1; m; m &= m - 1) {
    int k = __builtin_ctzll(m), r = k - last - 1;
    while (r > 15) { put_bits(w, ac->code[0xF0], ac->size[0xF0]); r -= 16; }
    int32_t v = b[k], bv = v;
    if (v < 0) { v = -v; bv--; }
    int nb = nbits_of((uint32_t)v), s = (r << 4) + nb;
    put_bits(w, ((uint32_t)ac->code[s] << nb) | ((uint32_t)bv & ((1u << nb) - 1)), ac->size[s] + nb);
    last = k;
  }
  if (last < 63) put_bits(w, ac->code[0], ac->size[0]);
}

static uint8_t* marker(uint8_t* o, uint8_t m, int length) {
  o[0] = 0xFF;
  o[1] = m;
  o[2] = (uint8_t)(length >> 8);
  o[3] = (uint8_t)length;
  return o + 4;
}

static uint8_t* write_dht(uint8_t* o, int klass, int id, const struct table* t) {
  o = marker(o, 0xC4, 2 + 1 + 16 + t->count);
  *o++ = (uint8_t)((klass << 4) | id);
  for (int l = 1; l <= 16; l++) *o++ = t->bits[l];
  for (int i = 0; i < t->count; i++) *o++ = t->vals[i];
  return o;
}

// Scratch for a w×h image: planes, four rows of chroma, then per block 64 coefficients and a mask.
EXPORT(scratch_size) uint32_t scratch_size(int w, int h) {
  uint32_t mx = (uint32_t)(w + 15) / 16, my = (uint32_t)(h + 15) / 16;
  return mx * 16 * my * 16 + 2 * (mx * 8 * my * 8) + 4 * mx * 16 + mx * my * 6 * (128 + 8) + 64;
}

// Largest possible output: headers plus every bit of every block stuffed.
EXPORT(output_size) uint32_t output_size(int w, int h) {
  uint32_t mx = (uint32_t)(w + 15) / 16, my = (uint32_t)(h + 15) / 16;
  return 2048 + mx * my * 6 * 440;
}

// Encodes `rgb` (w×h×3) into `out`; returns the number of bytes written. `scratch` is 16-byte aligned.
EXPORT(encode) uint32_t encode(const uint8_t* rgb, int w, int h, int quality, uint8_t* scratch, uint8_t* out) {
  quant_tables(quality);
  const int mx = (w + 15) / 16, my = (h + 15) / 16;
  const int yw = mx * 16, yh = my * 16, cw = mx * 8, ch = my * 8;
  const int ybx = (w + 7) / 8, yby = (h + 7) / 8;  // real luma blocks; the rest are dummies
  const int blocks = mx * my * 6;
  int16_t* coef = (int16_t*)scratch;
  uint64_t* masks = (uint64_t*)(scratch + (size_t)blocks * 128);
  uint8_t* Y = (uint8_t*)(masks + blocks);
  uint8_t* Cb = Y + (size_t)yw * yh;
  uint8_t* Cr = Cb + (size_t)cw * ch;
  planes(rgb, w, h, Y, yw, yh, Cb, Cr, cw, ch, Cr + (size_t)cw * ch);

  for (int t = 0; t < 4; t++)
    for (int i = 0; i < 257; i++) freq[t][i] = 0;
  int pred[3] = {0, 0, 0};
  int16_t* b = coef;
  uint64_t* mask = masks;
  for (int m = 0; m < my; m++) {
    for (int n = 0; n < mx; n++) {
      for (int k = 0; k < 4; k++, b += 64, mask++) {
        int bx = n * 2 + (k & 1), by = m * 2 + (k >> 1);
        if (bx < ybx && by < yby) {
          *mask = block(Y + (size_t)by * 8 * yw + bx * 8, yw, 0, b);
        } else {
          for (int i = 1; i < 64; i++) b[i] = 0;
          // jccoefct.c: a dummy block takes the DC of the block left of it, or in a dummy block
          // row the DC of the MCU's upper right block.
          b[0] = by < yby ? b[-64] : (k == 2 ? b[-64] : b[-128]);
          *mask = b[0] != 0;
        }
        count_block(b, *mask, pred[0], freq[0], freq[1]);
        pred[0] = b[0];
      }
      *mask = block(Cb + (size_t)m * 8 * cw + n * 8, cw, 1, b);
      count_block(b, *mask, pred[1], freq[2], freq[3]);
      pred[1] = b[0];
      b += 64;
      mask++;
      *mask = block(Cr + (size_t)m * 8 * cw + n * 8, cw, 1, b);
      count_block(b, *mask, pred[2], freq[2], freq[3]);
      pred[2] = b[0];
      b += 64;
      mask++;
    }
  }
  for (int t = 0; t < 4; t++) optimal_table(freq[t], &tables[t]);

  uint8_t* o = out;
  *o++ = 0xFF;
  *o++ = 0xD8;
  for (int t = 0; t < 2; t++) {
    o = marker(o, 0xDB, 67);
    *o++ = (uint8_t)t;
    for (int k = 0; k < 64; k++) *o++ = (uint8_t)qtab[t][NATURAL[k]];
  }
  o = marker(o, 0xC0, 17);
  *o++ = 8;
  *o++ = (uint8_t)(h >> 8);
  *o++ = (uint8_t)h;
  *o++ = (uint8_t)(w >> 8);
  *o++ = (uint8_t)w;
  *o++ = 3;
  const uint8_t comps[9] = {1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1};
  for (int i = 0; i < 9; i++) *o++ = comps[i];
  o = write_dht(o, 0, 0, &tables[0]);
  o = write_dht(o, 1, 0, &tables[1]);
  o = write_dht(o, 0, 1, &tables[2]);
  o = write_dht(o, 1, 1, &tables[3]);
  o = marker(o, 0xDA, 12);
  const uint8_t sos[10] = {3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0};
  for (int i = 0; i < 10; i++) *o++ = sos[i];

  struct writer wr = {o, 0, 0};
  pred[0] = pred[1] = pred[2] = 0;
  b = coef;
  mask = masks;
  for (int i = 0; i < mx * my; i++) {
    for (int k = 0; k < 4; k++, b += 64, mask++) {
      encode_block(&wr, b, *mask, pred[0], &tables[0], &tables[1]);
      pred[0] = b[0];
    }
    for (int c = 1; c <= 2; c++, b += 64, mask++) {
      encode_block(&wr, b, *mask, pred[c], &tables[2], &tables[3]);
      pred[c] = b[0];
    }
  }
  if (wr.n > 0) put_bits(&wr, 0x7F, 8 - wr.n);
  o = wr.out;
  *o++ = 0xFF;
  *o++ = 0xD9;
  return (uint32_t)(o - out);
}
