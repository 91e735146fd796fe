/**
 * out[K, N] = a[K, M] · b[M, N] in plain JS, for the cpu backend (whose own BatchMatMul runs at about
 * 0.2 GFLOP/s here). Rows of b are read in L2-sized chunks and four of them are folded into each
 * accumulator update, which cuts the stores per multiply-add by four.
 */
export function gemmJs(a: ArrayLike<number>, b: ArrayLike<number>, K: number, M: number, N: number, out: Float32Array): void {
  const acc = new Float64Array(K * N);
  const chunk = Math.max(4, Math.floor(32768 / Math.max(N, 1)) & ~3);
  for (let m0 = 0; m0 < M; m0 += chunk) {
    const m1 = Math.min(M, m0 + chunk);
    const m4 = m0 + ((m1 - m0) & ~3);
    for (let k = 0; k < K; k++) {
      const row = k * M;
      const o = k * N;
      let m = m0;
      for (; m < m4; m += 4) {
        const a0 = a[row + m] as number;
        const a1 = a[row + m + 1] as number;
        const a2 = a[row + m + 2] as number;
        const a3 = a[row + m + 3] as number;
        if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue; // padding and ReLU zeros
        const b0 = m * N;
        const b1 = b0 + N;
        const b2 = b1 + N;
        const b3 = b2 + N;
        for (let j = 0; j < N; j++) {
          acc[o + j] =
            (acc[o + j] as number) + a0 * (b[b0 + j] as number) + a1 * (b[b1 + j] as number) + a2 * (b[b2 + j] as number) + a3 * (b[b3 + j] as number);
        }
      }
      for (; m < m1; m++) {
        const av = a[row + m] as number;
        if (av === 0) continue;
        const b0 = m * N;
        for (let j = 0; j < N; j++) acc[o + j] = (acc[o + j] as number) + av * (b[b0 + j] as number);
      }
    }
  }
  out.set(acc);
}
