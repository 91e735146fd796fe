// Baseline JPEG decoder to RGB with the integer arithmetic of libjpeg-turbo's defaults (jdhuff.c,
// jidctint.c "islow", jdsample.c fancy upsampling, jdcolor.c), so its pixels are the ones sharp
// decodes. It decodes only the rows a region needs, and stops after them. Anything it does not
// handle (progressive, arithmetic, 12-bit, unusual sampling, corrupt data) is refused with a
// negative result, and the caller decodes the file another way. Built by build.sh; no libc.
#include "jpeg-common.h"

enum { E_FORMAT = -1, E_UNSUPPORTED = -2, E_CORRUPT = -3, E_SCRATCH = -4 };

struct huff {
  uint16_t look[512];  // 9-bit lookahead: (length << 8) | symbol, 0 when the code is longer
  // AC tables: codes whose value bits fit in the 9 too, as (value << 8) | (run << 4) | all bits; else 0
  int32_t fast[512];
  int32_t maxcode[18];
  int32_t valoffset[17];
  uint8_t vals[256];
  int present;
};

struct component {
  int id, h, v, tq, td, ta;
  int bw, bh;          // plane size in blocks (whole MCUs)
  uint8_t* plane;
  int stride;
  int16_t pred;
};

static struct huff dc_tabs[4], ac_tabs[4];
static int32_t quant[4][64] __attribute__((aligned(16)));
static int quant_present[4];
static struct component comps[3];

struct reader {
  const uint8_t* p;
  const uint8_t* end;
  uint64_t acc;
  int bits;
  int marker;  // a marker stopped the data: zeros are fed from here on
  int zeros;   // bits of those zeros still in `acc`; consuming any means the data ran out
};

static inline void fill(struct reader* r) {
  while (r->bits <= 56) {
    uint32_t byte = 0;
    if (!r->marker && r->p < r->end) {
      byte = *r->p;
      if (byte == 0xFF) {
        uint8_t next = r->p + 1 < r->end ? r->p[1] : 0xD9;
        if (next == 0) {
          r->p += 2;
        } else {
          r->marker = 1;
          byte = 0;
        }
      } else {
        r->p++;
      }
    } else {
      r->marker = 1;
    }
    if (r->marker) r->zeros += 8;
    r->acc = (r->acc << 8) | byte;
    r->bits += 8;
  }
}

static inline uint32_t peek(struct reader* r, int n) { return (uint32_t)(r->acc >> (r->bits - n)) & ((1u << n) - 1); }

static inline int decode(struct reader* r, const struct huff* t) {
  if (r->bits < 16) fill(r);
  uint16_t e = t->look[peek(r, 9)];
  if (e) {
    r->bits -= e >> 8;
    return e & 0xFF;
  }
  for (int l = 10; l <= 16; l++) {
    int32_t code = (int32_t)peek(r, l);
    if (code <= t->maxcode[l]) {
      r->bits -= l;
      return t->vals[t->valoffset[l] + code];
    }
  }
  return -1;
}

static inline int32_t receive_extend(struct reader* r, int s) {
  if (r->bits < s) fill(r);
  int32_t x = (int32_t)peek(r, s);
  r->bits -= s;
  return x < (1 << (s - 1)) ? x - (1 << s) + 1 : x;
}

static int build_huff(struct huff* t, const uint8_t* counts, const uint8_t* vals, int total) {
  for (int i = 0; i < 512; i++) t->look[i] = 0;
  int32_t code = 0;
  int k = 0;
  for (int l = 1; l <= 16; l++) {
    t->valoffset[l] = k - code;
    for (int n = 0; n < counts[l - 1]; n++, k++, code++) {
      if (code >= (1 << l)) return 0;
      if (l <= 9) {
        int shift = 9 - l;
        for (int j = 0; j < (1 << shift); j++) t->look[(code << shift) | j] = (uint16_t)((l << 8) | vals[k]);
      }
    }
    t->maxcode[l] = counts[l - 1] ? code - 1 : -1;
    code <<= 1;
  }
  t->maxcode[17] = 0x7FFFFFFF;
  for (int i = 0; i < total; i++) t->vals[i] = vals[i];
  for (int i = 0; i < 512; i++) {
    t->fast[i] = 0;
    int len = t->look[i] >> 8, run = (t->look[i] >> 4) & 15, size = t->look[i] & 15;
    if (!t->look[i] || !size || len + size > 9) continue;
    int32_t x = (i >> (9 - len - size)) & ((1 << size) - 1);
    int32_t value = x < (1 << (size - 1)) ? x - (1 << size) + 1 : x;
    t->fast[i] = value * 256 + run * 16 + len + size;
  }
  t->present = 1;
  return 1;
}

// ---- inverse DCT (jidctint.c) into 8×8 samples ----


// One pass over eight vectors: in[i] is input i (of four columns in pass 1, four rows in pass 2).
static inline void idct_pass(v* in, int n) {
  v tmp3 = in[2], tmp2 = in[6];
  even_rotation(&tmp3, &tmp2);
  v tmp0 = wasm_i32x4_shl(ADD(in[0], in[4]), CONST_BITS);
  v tmp1 = wasm_i32x4_shl(SUB(in[0], in[4]), CONST_BITS);
  v tmp10 = ADD(tmp0, tmp3), tmp13 = SUB(tmp0, tmp3), tmp11 = ADD(tmp1, tmp2), tmp12 = SUB(tmp1, tmp2);
  tmp0 = in[7];
  tmp1 = in[5];
  tmp2 = in[3];
  tmp3 = in[1];
  odd_part(&tmp0, &tmp1, &tmp2, &tmp3);
  in[0] = VDESCALE(ADD(tmp10, tmp3), n);
  in[7] = VDESCALE(SUB(tmp10, tmp3), n);
  in[1] = VDESCALE(ADD(tmp11, tmp2), n);
  in[6] = VDESCALE(SUB(tmp11, tmp2), n);
  in[2] = VDESCALE(ADD(tmp12, tmp1), n);
  in[5] = VDESCALE(SUB(tmp12, tmp1), n);
  in[3] = VDESCALE(ADD(tmp13, tmp0), n);
  in[4] = VDESCALE(SUB(tmp13, tmp0), n);
}

// Samples from two vectors of IDCT output: libjpeg-turbo's SIMD IDCTs (which sharp runs) clamp to
// 0…255 with saturating packs, as here; its C table wraps values beyond ±512 instead, which valid
// data never reaches.
static inline v samples8(v lo, v hi) {
  v words = wasm_i16x8_add_sat(wasm_i16x8_narrow_i32x4(lo, hi), wasm_i16x8_splat(128));
  return wasm_u8x16_narrow_i16x8(words, words);
}

// `coef` in natural order, already dequantised.
static void idct(const int32_t* coef, uint8_t* out, int stride) {
  v c[2][8];
  for (int h = 0; h < 2; h++) {
    for (int k = 0; k < 8; k++) c[h][k] = wasm_v128_load(coef + k * 8 + h * 4);
    idct_pass(c[h], CONST_BITS - PASS1_BITS);
  }
  // c[h][k] is row k of columns 4h…4h+3; pass 2 wants a lane per row.
  v r[2][8];
  for (int g = 0; g < 2; g++) {
    for (int h = 0; h < 2; h++) {
      v a = c[h][4 * g], b = c[h][4 * g + 1], cc = c[h][4 * g + 2], d = c[h][4 * g + 3];
      transpose4(&a, &b, &cc, &d);
      r[g][4 * h] = a;
      r[g][4 * h + 1] = b;
      r[g][4 * h + 2] = cc;
      r[g][4 * h + 3] = d;
    }
    idct_pass(r[g], CONST_BITS + PASS1_BITS + 3);
  }
  // r[g][k] is column k of rows 4g…4g+3.
  for (int g = 0; g < 2; g++) {
    v a0 = r[g][0], a1 = r[g][1], a2 = r[g][2], a3 = r[g][3];
    v b0 = r[g][4], b1 = r[g][5], b2 = r[g][6], b3 = r[g][7];
    transpose4(&a0, &a1, &a2, &a3);
    transpose4(&b0, &b1, &b2, &b3);
    wasm_v128_store64_lane(out + (size_t)(4 * g) * stride, samples8(a0, b0), 0);
    wasm_v128_store64_lane(out + (size_t)(4 * g + 1) * stride, samples8(a1, b1), 0);
    wasm_v128_store64_lane(out + (size_t)(4 * g + 2) * stride, samples8(a2, b2), 0);
    wasm_v128_store64_lane(out + (size_t)(4 * g + 3) * stride, samples8(a3, b3), 0);
  }
}

// ---- upsampling (jdsample.c) and colour conversion (jdcolor.c) ----

static inline uint8_t clamp255(int32_t x) { return (uint8_t)(x < 0 ? 0 : x > 255 ? 255 : x); }

// Triangle-filtered samples for chroma columns [k0, k1): `s` holds the column values (or, for
// h2v2, 3 × nearer row + farther row) with s[-1] and s[n] repeating the edges; out[0] is column 2·k0.
static void fancy_columns(const int16_t* s, int k0, int k1, int shift, int even_bias, int odd_bias, uint8_t* out) {
  const v be = wasm_i16x8_splat((int16_t)even_bias), bo = wasm_i16x8_splat((int16_t)odd_bias);
  for (int k = k0; k < k1; k += 8, out += 16) {
    v c = wasm_v128_load(s + k), prev = wasm_v128_load(s + k - 1), next = wasm_v128_load(s + k + 1);
    v c3 = wasm_i16x8_add(wasm_i16x8_add(c, c), c);
    v e = wasm_i16x8_shr(wasm_i16x8_add(wasm_i16x8_add(c3, prev), be), shift);
    v o = wasm_i16x8_shr(wasm_i16x8_add(wasm_i16x8_add(c3, next), bo), shift);
    v lo = wasm_i16x8_shuffle(e, o, 0, 8, 1, 9, 2, 10, 3, 11);
    v hi = wasm_i16x8_shuffle(e, o, 4, 12, 5, 13, 6, 14, 7, 15);
    wasm_v128_store(out, wasm_u8x16_narrow_i16x8(lo, hi));
  }
}

// The chroma samples of output row y for columns [left, right) (jdsample.c): fancy upsampling
// when the component is narrower or shorter than luma and more than two samples wide, else
// replication. `sums` has room for s[-8 … w/2 + 24]; `buf` for right − left + 32 samples.
static const uint8_t* chroma_row(const struct component* c, int hs, int vs, int y, int real_w, int real_h, int left, int right, int16_t* sums, uint8_t* buf) {
  if (hs == 1 && vs == 1) return c->plane + (size_t)y * c->stride + left;
  const uint8_t* near = c->plane + (size_t)(vs == 2 ? y >> 1 : y) * c->stride;
  if (real_w <= 2) {
    for (int x = left; x < right; x++) buf[x - left] = near[x >> 1];
    return buf;
  }
  int k0 = left >> 1, k1 = ((right - 1) >> 1) + 1;
  int from = k0 > 0 ? k0 - 1 : 0, to = k1 < real_w ? k1 : real_w - 1;
  if (vs == 2) {
    int i = y >> 1, j = (y & 1) ? i + 1 : i - 1;
    if (j < 0) j = 0;
    if (j > real_h - 1) j = real_h - 1;
    const uint8_t* far = c->plane + (size_t)j * c->stride;
    for (int k = from; k <= to; k++) sums[k] = (int16_t)(near[k] * 3 + far[k]);
  } else {
    for (int k = from; k <= to; k++) sums[k] = near[k];
  }
  if (k0 == 0) sums[-1] = sums[0];
  if (k1 >= real_w) sums[real_w] = sums[real_w - 1];
  if (vs == 2) fancy_columns(sums, k0, k1, 4, 8, 7, buf);
  else fancy_columns(sums, k0, k1, 2, 1, 2, buf);
  return buf + (left - 2 * k0);
}

// jdcolor.c's ycc_rgb_convert with its tables' entries computed (FIX(c) · (x − 128) and rounding),
// eight pixels at a time.
static void ycc_to_rgb(const uint8_t* Y, const uint8_t* Cb, const uint8_t* Cr, int n, uint8_t* o) {
  int x = 0;
  const v c128 = wasm_i32x4_splat(128), half = wasm_i32x4_splat(ONE_HALF);
  for (; x + 8 <= n; x += 8, o += 24) {
    v y16 = wasm_u16x8_load8x8(Y + x), b16 = wasm_u16x8_load8x8(Cb + x), r16 = wasm_u16x8_load8x8(Cr + x);
    v R[2], G[2], B[2];
    for (int h = 0; h < 2; h++) {
      v yy = h ? wasm_u32x4_extend_high_u16x8(y16) : wasm_u32x4_extend_low_u16x8(y16);
      v bb = SUB(h ? wasm_u32x4_extend_high_u16x8(b16) : wasm_u32x4_extend_low_u16x8(b16), c128);
      v rr = SUB(h ? wasm_u32x4_extend_high_u16x8(r16) : wasm_u32x4_extend_low_u16x8(r16), c128);
      R[h] = ADD(yy, wasm_i32x4_shr(ADD(MUL(rr, FIX(1.40200)), half), SCALEBITS));
      G[h] = ADD(yy, wasm_i32x4_shr(ADD(ADD(MUL(bb, -FIX(0.34414)), half), MUL(rr, -FIX(0.71414))), SCALEBITS));
      B[h] = ADD(yy, wasm_i32x4_shr(ADD(MUL(bb, FIX(1.77200)), half), SCALEBITS));
    }
    // Saturating narrows clamp to 0…255: bytes 0–7 R, 8–15 G, then B.
    v rg = wasm_u8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(R[0], R[1]), wasm_i16x8_narrow_i32x4(G[0], G[1]));
    v b = wasm_u8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(B[0], B[1]), wasm_i32x4_splat(0));
    wasm_v128_store(o, wasm_i8x16_shuffle(rg, b, 0, 8, 16, 1, 9, 17, 2, 10, 18, 3, 11, 19, 4, 12, 20, 5));
    wasm_v128_store64_lane(o + 16, wasm_i8x16_shuffle(rg, b, 13, 21, 6, 14, 22, 7, 15, 23, 0, 0, 0, 0, 0, 0, 0, 0), 0);
  }
  for (; x < n; x++, o += 3) {
    int32_t y = Y[x], cb = Cb[x] - 128, cr = Cr[x] - 128;
    o[0] = clamp255(y + ((FIX(1.40200) * cr + ONE_HALF) >> SCALEBITS));
    o[1] = clamp255(y + ((-FIX(0.34414) * cb + ONE_HALF - FIX(0.71414) * cr) >> SCALEBITS));
    o[2] = clamp255(y + ((FIX(1.77200) * cb + ONE_HALF) >> SCALEBITS));
  }
}

// ---- the decoder ----
static inline uint16_t be16(const uint8_t* p) { return (uint16_t)((p[0] << 8) | p[1]); }

// Scratch bytes needed for a w×h image with up to 2×2 luma sampling (planes plus row buffers).
EXPORT(decode_scratch_size) uint32_t decode_scratch_size(int w, int h) {
  uint32_t mx = (uint32_t)(w + 15) / 16, my = (uint32_t)(h + 15) / 16;
  return mx * 16 * my * 16 * 3 + (uint32_t)w * 8 + 8192;
}

// Decodes `data` (n bytes) into RGB `out` for the rectangle (left, top, width, height); returns 0,
// or a negative code when the file is not one this decoder handles.
EXPORT(decode) int decode_jpeg(const uint8_t* data, int n, int left, int top, int width, int height, uint8_t* scratch, uint32_t scratch_bytes, uint8_t* out) {
  const uint8_t* p = data;
  const uint8_t* end = data + n;
  if (n < 4 || p[0] != 0xFF || p[1] != 0xD8) return E_FORMAT;
  p += 2;
  for (int i = 0; i < 4; i++) dc_tabs[i].present = ac_tabs[i].present = quant_present[i] = 0;
  int w = 0, h = 0, ncomp = 0, restart = 0, frame = 0;
  for (;;) {
    while (p < end && *p != 0xFF) p++;  // libjpeg skips stray bytes before a marker
    while (p < end && *p == 0xFF) p++;
    if (p + 3 > end) return E_FORMAT;
    uint8_t m = *p++;
    if (m == 0xD8 || m == 0xD9 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) return E_FORMAT;
    int len = be16(p);
    if (len < 2 || p + len > end) return E_FORMAT;
    const uint8_t* seg = p + 2;
    const uint8_t* seg_end = p + len;
    p += len;
    if (m == 0xDB) {
      while (seg < seg_end) {
        int pq = seg[0] >> 4, tq = seg[0] & 15;
        if (tq > 3 || pq > 1 || seg + 1 + 64 * (pq + 1) > seg_end) return E_FORMAT;
        for (int k = 0; k < 64; k++) quant[tq][NATURAL[k]] = pq ? be16(seg + 1 + 2 * k) : seg[1 + k];
        quant_present[tq] = 1;
        seg += 1 + 64 * (pq + 1);
      }
    } else if (m == 0xC4) {
      while (seg < seg_end) {
        if (seg + 17 > seg_end) return E_FORMAT;
        int tc = seg[0] >> 4, th = seg[0] & 15, total = 0;
        for (int l = 0; l < 16; l++) total += seg[1 + l];
        if (tc > 1 || th > 3 || total > 256 || seg + 17 + total > seg_end) return E_FORMAT;
        if (!build_huff(tc ? &ac_tabs[th] : &dc_tabs[th], seg + 1, seg + 17, total)) return E_FORMAT;
        seg += 17 + total;
      }
    } else if (m == 0xDD) {
      if (len < 4) return E_FORMAT;
      restart = be16(seg);
    } else if (m == 0xC0 || m == 0xC1) {
      if (len < 8 || seg[0] != 8) return E_UNSUPPORTED;
      h = be16(seg + 1);
      w = be16(seg + 3);
      ncomp = seg[5];
      if (w < 1 || h < 1 || (ncomp != 1 && ncomp != 3) || len < 8 + 3 * ncomp) return E_UNSUPPORTED;
      for (int i = 0; i < ncomp; i++) {
        comps[i].id = seg[6 + 3 * i];
        comps[i].h = seg[7 + 3 * i] >> 4;
        comps[i].v = seg[7 + 3 * i] & 15;
        comps[i].tq = seg[8 + 3 * i];
        if (comps[i].tq > 3) return E_FORMAT;
      }
      if (ncomp == 1) {
        comps[0].h = comps[0].v = 1;  // a single component's scan is one block per MCU
      } else {
        if (comps[1].h != 1 || comps[1].v != 1 || comps[2].h != 1 || comps[2].v != 1) return E_UNSUPPORTED;
        if (comps[0].h < 1 || comps[0].h > 2 || comps[0].v < 1 || comps[0].v > 2 || (comps[0].v == 2 && comps[0].h == 1)) return E_UNSUPPORTED;
      }
      frame = 1;
    } else if (m >= 0xC2 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
      return E_UNSUPPORTED;  // progressive, lossless, arithmetic, hierarchical
    } else if (m == 0xDA) {
      if (!frame || seg[0] != ncomp || len < 6 + 2 * ncomp) return E_UNSUPPORTED;
      for (int i = 0; i < ncomp; i++) {
        if (seg[1 + 2 * i] != comps[i].id) return E_UNSUPPORTED;
        comps[i].td = seg[2 + 2 * i] >> 4;
        comps[i].ta = seg[2 + 2 * i] & 15;
        if (comps[i].td > 3 || comps[i].ta > 3 || !dc_tabs[comps[i].td].present || !ac_tabs[comps[i].ta].present || !quant_present[comps[i].tq]) return E_FORMAT;
      }
      const uint8_t* s = seg + 1 + 2 * ncomp;
      if (s[0] != 0 || s[1] != 63 || s[2] != 0) return E_UNSUPPORTED;
      break;
    }
  }
  if (left < 0 || top < 0 || width < 1 || height < 1 || left + width > w || top + height > h) return E_FORMAT;

  const int hmax = comps[0].h, vmax = comps[0].v;
  const int mcu_w = 8 * hmax, mcu_h = 8 * vmax;
  const int mx = (w + mcu_w - 1) / mcu_w, my = (h + mcu_h - 1) / mcu_h;
  uint8_t* free = scratch;
  for (int i = 0; i < ncomp; i++) {
    struct component* c = &comps[i];
    c->bw = mx * c->h;
    c->bh = my * c->v;
    c->stride = c->bw * 8;
    c->plane = free;
    c->pred = 0;
    free += (size_t)c->stride * c->bh * 8;
  }
  int16_t* sums = (int16_t*)(((uintptr_t)free + 15) & ~(uintptr_t)15) + 8;
  uint8_t* rows = (uint8_t*)(sums + w / 2 + 32);
  if ((uint32_t)(rows + 2 * ((size_t)width + 32) - scratch) > scratch_bytes) return E_SCRATCH;

  // MCU rows and columns whose samples the region reads, with one more on each side for
  // upsampling's context; the others are entropy-decoded only (rows below the last, not at all).
  int first = top / mcu_h - 1, last = (top + height - 1) / mcu_h + 1;
  int first_col = left / mcu_w - 1, last_col = (left + width - 1) / mcu_w + 1;
  if (first < 0) first = 0;
  if (last > my - 1) last = my - 1;

  struct reader r = {p, end, 0, 0, 0, 0};
  int32_t coef[64] __attribute__((aligned(16)));
  int todo = restart;
  int next_rst = 0;
  for (int mrow = 0; mrow <= last; mrow++) {
    for (int mcol = 0; mcol < mx; mcol++) {
      int keep = mrow >= first && mcol >= first_col && mcol <= last_col;
      if (restart) {
        if (todo == 0) {
          // Byte-aligned RSTn marker: drop the buffered bits, check it, start predictions over.
          r.acc = 0;
          r.bits = 0;
          r.marker = 0;
          r.zeros = 0;
          while (r.p < end && *r.p == 0xFF && r.p + 1 < end && r.p[1] == 0xFF) r.p++;
          if (r.p + 2 > end || r.p[0] != 0xFF || r.p[1] != 0xD0 + next_rst) return E_CORRUPT;
          r.p += 2;
          next_rst = (next_rst + 1) & 7;
          for (int i = 0; i < ncomp; i++) comps[i].pred = 0;
          todo = restart;
        }
        todo--;
      }
      for (int ci = 0; ci < ncomp; ci++) {
        struct component* c = &comps[ci];
        const struct huff* dct = &dc_tabs[c->td];
        const struct huff* act = &ac_tabs[c->ta];
        const int32_t* q = quant[c->tq];
        for (int by = 0; by < c->v; by++) {
          for (int bx = 0; bx < c->h; bx++) {
            int s = decode(&r, dct);
            if (s < 0 || s > 11) return E_CORRUPT;
            int32_t diff = s ? receive_extend(&r, s) : 0;
            c->pred = (int16_t)(c->pred + diff);
            if (keep) {
              for (int k = 0; k < 64; k += 4) wasm_v128_store(coef + k, wasm_i32x4_splat(0));
              coef[0] = c->pred * q[0];
            }
            int ac = 0;
            for (int k = 1; k < 64; k++) {
              if (r.bits < 16) fill(&r);
              int32_t f = act->fast[peek(&r, 9)];
              if (f) {
                k += (f >> 4) & 15;
                r.bits -= f & 15;
                if (k > 63) return E_CORRUPT;
                if (keep) coef[NATURAL[k]] = (f >> 8) * q[NATURAL[k]];
                ac = 1;
                continue;
              }
              int rs = decode(&r, act);
              if (rs < 0) return E_CORRUPT;
              int run = rs >> 4, size = rs & 15;
              if (size) {
                k += run;
                if (k > 63 || size > 10) return E_CORRUPT;
                int32_t val = receive_extend(&r, size);
                if (keep) coef[NATURAL[k]] = val * q[NATURAL[k]];
                ac = 1;
              } else {
                if (run != 15) break;
                k += 15;
              }
            }
            if (r.bits < r.zeros) return E_CORRUPT;
            if (keep) {
              int row = mrow * c->v + by, col = mcol * c->h + bx;
              uint8_t* dst = c->plane + (size_t)row * 8 * c->stride + col * 8;
              if (ac) {
                idct(coef, dst, c->stride);
              } else {
                // jidctint.c's shortcut for a block with only its DC term gives these same samples.
                v dc = wasm_i32x4_splat(((coef[0] << PASS1_BITS) + 16) >> 5);
                v px = samples8(dc, dc);
                for (int i = 0; i < 8; i++) wasm_v128_store64_lane(dst + (size_t)i * c->stride, px, 0);
              }
            }
          }
        }
      }
    }
  }

  // Rows of the region: chroma upsampled, then converted to RGB.
  const int real_cw = ncomp == 3 ? (w * 1 + hmax - 1) / hmax : 0;
  const int real_ch = ncomp == 3 ? (h * 1 + vmax - 1) / vmax : 0;
  uint8_t* cb_buf = rows;
  uint8_t* cr_buf = rows + width + 32;
  for (int y = top; y < top + height; y++) {
    const uint8_t* yrow = comps[0].plane + (size_t)y * comps[0].stride + left;
    uint8_t* o = out + (size_t)(y - top) * width * 3;
    if (ncomp == 1) {
      for (int x = 0; x < width; x++, o += 3) o[0] = o[1] = o[2] = yrow[x];
      continue;
    }
    const uint8_t* cb = chroma_row(&comps[1], hmax, vmax, y, real_cw, real_ch, left, left + width, sums, cb_buf);
    const uint8_t* cr = chroma_row(&comps[2], hmax, vmax, y, real_cw, real_ch, left, left + width, sums, cr_buf);
    ycc_to_rgb(yrow, cb, cr, width, o);
  }
  return 0;
}
