export interface Roc {
  /** False and true positive rates from the strictest threshold to the loosest, starting at (0, 0). */
  fpr: number[];
  tpr: number[];
  /** The score threshold of each point after the first (score ≥ threshold counts as positive). */
  thresholds: number[];
  /** Area under the curve; null when there are no positives or no negatives. */
  auc: number | null;
}

/**
 * ROC curve of scores against binary truth. Equal scores form one step, so a tie between a
 * positive and a negative adds a diagonal segment, which is the same as counting it as half a win.
 */
export function rocCurve(scores: readonly number[], positive: readonly boolean[]): Roc {
  if (scores.length !== positive.length) throw new Error(`rocCurve: ${scores.length} scores but ${positive.length} labels`);
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const pos = positive.filter(Boolean).length;
  const neg = positive.length - pos;
  const fpr = [0];
  const tpr = [0];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  let auc = 0;
  for (let i = 0; i < order.length; ) {
    const s = scores[order[i]!]!;
    let dtp = 0;
    let dfp = 0;
    while (i < order.length && scores[order[i]!] === s) {
      if (positive[order[i]!]) dtp++;
      else dfp++;
      i++;
    }
    // Trapezoid over this step in raw counts; normalised once at the end.
    auc += dfp * (tp + dtp / 2);
    tp += dtp;
    fp += dfp;
    fpr.push(neg === 0 ? 0 : fp / neg);
    tpr.push(pos === 0 ? 0 : tp / pos);
    thresholds.push(s);
  }
  return { fpr, tpr, thresholds, auc: pos === 0 || neg === 0 ? null : auc / (pos * neg) };
}

export interface OneVsRest {
  perClass: Roc[];
  /** Mean AUC over the classes that have one; null when none has. */
  macroAuc: number | null;
}

/** One-vs-rest ROC per class from class probabilities (rows = samples). */
export function oneVsRestRoc(probabilities: readonly (readonly number[])[], truth: readonly number[], classes: number): OneVsRest {
  const perClass = Array.from({ length: classes }, (_, c) =>
    rocCurve(
      probabilities.map((row) => row[c]!),
      truth.map((t) => t === c),
    ),
  );
  const aucs = perClass.map((r) => r.auc).filter((a): a is number => a !== null);
  return { perClass, macroAuc: aucs.length === 0 ? null : aucs.reduce((a, b) => a + b, 0) / aucs.length };
}
