/** Counts of (true, predicted) pairs: rows are true classes, columns predicted classes. */
export function confusionMatrix(truth: readonly number[], predicted: readonly number[], classes: number): number[][] {
  if (truth.length !== predicted.length) throw new Error(`confusionMatrix: ${truth.length} labels but ${predicted.length} predictions`);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  truth.forEach((t, i) => {
    const p = predicted[i]!;
    if (t < 0 || t >= classes || p < 0 || p >= classes) throw new Error(`confusionMatrix: class index out of range at ${i}`);
    m[t]![p]! += 1;
  });
  return m;
}

/** Index of the largest value of each row (the first one on ties). */
export function argmaxRows(rows: readonly (readonly number[])[]): number[] {
  return rows.map((row) => {
    let best = 0;
    for (let j = 1; j < row.length; j++) if (row[j]! > row[best]!) best = j;
    return best;
  });
}
