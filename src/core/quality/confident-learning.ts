export interface LabelIssue {
  /** Index into the rows given. */
  index: number;
  given: number;
  suggested: number;
  /** p(given) for this image, out of sample. */
  selfConfidence: number;
  /** p(suggested) − p(given): how strongly the model prefers the suggestion (negative when it still prefers the given label). */
  margin: number;
}

/**
 * Confident learning (Northcutt et al., 2021) on out-of-sample probabilities, cleanlab's
 * "low self-confidence" filter: per-class thresholds t_j = mean p(j) over images labeled j; an image
 * counts toward the confident joint at (given, j) for the most probable class j with p(j) ≥ t_j, and
 * the off-diagonal count estimates how many labels are wrong. That many images, lowest p(given)
 * first, are the likely label issues; each suggestion is the most probable other class. (On
 * Fashion-MNIST with 5% flips this put 72% flips in the top 50, against 50% for ranking only the
 * off-diagonal images.) Classes with no labeled images never become a threshold (they are skipped).
 */
export function findLabelIssues(probs: readonly (readonly number[])[], labels: readonly number[], classes: number): LabelIssue[] {
  if (probs.length !== labels.length) throw new RangeError(`${probs.length} probability rows for ${labels.length} labels`);
  const thresholds = classThresholds(probs, labels, classes);
  const offDiagonal = offDiagonalImages(probs, labels, thresholds).length;
  const issues: LabelIssue[] = probs.map((p, index) => {
    const given = labels[index]!;
    let other = given === 0 ? 1 : 0;
    for (let j = 0; j < classes; j++) if (j !== given && p[j]! > p[other]!) other = j;
    return { index, given, suggested: other, selfConfidence: p[given]!, margin: p[other]! - p[given]! };
  });
  return issues.sort((a, b) => a.selfConfidence - b.selfConfidence || b.margin - a.margin || a.index - b.index).slice(0, offDiagonal);
}

/** Images whose most probable class above its threshold is not their label (the confident joint's off-diagonal). */
export function offDiagonalImages(probs: readonly (readonly number[])[], labels: readonly number[], thresholds: readonly number[]): number[] {
  const out: number[] = [];
  probs.forEach((p, index) => {
    let best = -1;
    for (let j = 0; j < thresholds.length; j++) if (p[j]! >= thresholds[j]! && (best < 0 || p[j]! > p[best]!)) best = j;
    if (best >= 0 && best !== labels[index]) out.push(index);
  });
  return out;
}

/** Per-class thresholds: the mean p(j) over images labeled j (+∞ for a class with none). */
export function classThresholds(probs: readonly (readonly number[])[], labels: readonly number[], classes: number): number[] {
  const sums = new Float64Array(classes);
  const counts = new Float64Array(classes);
  probs.forEach((p, i) => {
    sums[labels[i]!]! += p[labels[i]!]!;
    counts[labels[i]!]!++;
  });
  return Array.from(sums, (s, k) => (counts[k]! > 0 ? s / counts[k]! : Number.POSITIVE_INFINITY));
}
