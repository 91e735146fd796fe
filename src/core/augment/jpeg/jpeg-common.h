// What encoder.c and decoder.c share: libjpeg's fixed-point constants, the zigzag order and the
// 4-lane helpers of their DCTs.
#ifndef SMALLSET_JPEG_COMMON_H
#define SMALLSET_JPEG_COMMON_H
#include <stddef.h>
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

// Position in the block (row-major) of each coefficient in zigzag order: jpeg_natural_order.
static const uint8_t NATURAL[64] = {
  0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,
  12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6,  7,  14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
  58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
};

// Colour conversion (jccolor.c, jdcolor.c).
#define SCALEBITS 16
#define ONE_HALF (1 << (SCALEBITS - 1))
#define FIX(x) ((int32_t)((x) * (1 << SCALEBITS) + 0.5))

// The "islow" DCTs (jfdctint.c, jidctint.c): FIX(x) with 13 fractional bits.
#define CONST_BITS 13
#define PASS1_BITS 2
#define F_0_298 2446
#define F_0_390 3196
#define F_0_541 4433
#define F_0_765 6270
#define F_0_899 7373
#define F_1_175 9633
#define F_1_501 12299
#define F_1_847 15137
#define F_1_961 16069
#define F_2_053 16819
#define F_2_562 20995
#define F_3_072 25172

typedef v128_t v;
#define ADD wasm_i32x4_add
#define SUB wasm_i32x4_sub
#define MUL(a, c) wasm_i32x4_mul(a, wasm_i32x4_splat(c))
#define VDESCALE(x, n) wasm_i32x4_shr(ADD(x, wasm_i32x4_splat(1 << ((n) - 1))), n)

// The even part's rotation of both islow DCTs (LL&M figure 1): x is tmp13 of jfdctint.c or input
// 2 of jidctint.c, y is tmp12 or input 6.
static inline void even_rotation(v* x, v* y) {
  v z1 = MUL(ADD(*x, *y), F_0_541);
  *x = ADD(z1, MUL(*x, F_0_765));
  *y = SUB(z1, MUL(*y, F_1_847));
}

// The odd part of both islow DCTs (LL&M figure 8): a, b, c, d are tmp4…tmp7 of jfdctint.c, or
// the inputs 7, 5, 3, 1 of jidctint.c.
static inline void odd_part(v* a, v* b, v* c, v* d) {
  v z1 = ADD(*a, *d), z2 = ADD(*b, *c), z3 = ADD(*a, *c), z4 = ADD(*b, *d);
  v z5 = MUL(ADD(z3, z4), F_1_175);
  z1 = MUL(z1, -F_0_899);
  z2 = MUL(z2, -F_2_562);
  z3 = ADD(MUL(z3, -F_1_961), z5);
  z4 = ADD(MUL(z4, -F_0_390), z5);
  *a = ADD(MUL(*a, F_0_298), ADD(z1, z3));
  *b = ADD(MUL(*b, F_2_053), ADD(z2, z4));
  *c = ADD(MUL(*c, F_3_072), ADD(z2, z3));
  *d = ADD(MUL(*d, F_1_501), ADD(z1, z4));
}

static inline void transpose4(v* a, v* b, v* c, v* d) {
  v t0 = wasm_i32x4_shuffle(*a, *b, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(*a, *b, 2, 6, 3, 7);
  v t2 = wasm_i32x4_shuffle(*c, *d, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(*c, *d, 2, 6, 3, 7);
  *a = wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5);
  *b = wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7);
  *c = wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5);
  *d = wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7);
}

#endif
