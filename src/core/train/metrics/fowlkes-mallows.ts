/**
 * Fowlkes–Mallows index of two labelings seen as clusterings: TP / √((TP + FP)(TP + FN)) over
 * pairs of samples, computed from the contingency table (scikit-learn's formula). 1 means the
 * predictions group the samples exactly as the truth does, even under renamed classes.
 */
export function fowlkesMallows(contingency: readonly (readonly number[])[]): number {
  let n = 0;
  let sumSquares = 0;
  const rowSums: number[] = [];
  const colSums: number[] = [];
  contingency.forEach((row, i) => {
    row.forEach((v, j) => {
      n += v;
      sumSquares += v * v;
      rowSums[i] = (rowSums[i] ?? 0) + v;
      colSums[j] = (colSums[j] ?? 0) + v;
    });
  });
  const tk = sumSquares - n;
  const pk = rowSums.reduce((a, v) => a + v * v, 0) - n;
  const qk = colSums.reduce((a, v) => a + v * v, 0) - n;
  if (tk === 0 || pk === 0 || qk === 0) return 0;
  return Math.sqrt(tk / pk) * Math.sqrt(tk / qk);
}
