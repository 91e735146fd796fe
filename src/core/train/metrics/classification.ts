export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Share of the diagonal; 0 for an empty matrix. */
export function accuracyFromConfusion(confusion: readonly (readonly number[])[]): number {
  let right = 0;
  let all = 0;
  confusion.forEach((row, i) =>
    row.forEach((n, j) => {
      all += n;
      if (i === j) right += n;
    }),
  );
  return all === 0 ? 0 : right / all;
}

/** Precision, recall and F1 of each class; an undefined ratio (0/0) counts as 0, as in scikit-learn. */
export function perClassScores(confusion: readonly (readonly number[])[]): ClassScores[] {
  const k = confusion.length;
  return confusion.map((row, c) => {
    const tp = row[c]!;
    const support = row.reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let i = 0; i < k; i++) predicted += confusion[i]![c]!;
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, support };
  });
}

/**
 * Unweighted mean of per-class F1 over the classes that occur among the true or the predicted
 * labels (scikit-learn's default label set): a class absent from both tells nothing about the model.
 */
export function macroF1(confusion: readonly (readonly number[])[]): number {
  const scores = perClassScores(confusion);
  const present = scores.filter((s, c) => s.support > 0 || confusion.some((row) => row[c]! > 0));
  return present.length === 0 ? 0 : present.reduce((a, s) => a + s.f1, 0) / present.length;
}
