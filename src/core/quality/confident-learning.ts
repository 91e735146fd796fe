export interface LabelIssue {
  /** Index into the rows given. */
  index: number;
  given: number;
  suggested: number;
  /** p(given) for this image, out of sample. */
  selfConfidence: number;
  /** p(suggested) − p(given): how strongly the model prefers the suggestion (0–1). */
  margin: number;
}

/**
 * Confident learning (Northcutt et al., 2021) on out-of-sample probabilities:
 * per-class thresholds t_j = mean p(j) over images labeled j; an image counts toward the
 * confident joint at (given, j) for the most probable class j with p(j) ≥ t_j; images off the
 * diagonal (j ≠ given) are the likely label issues, ranked by self-confidence, lowest first (cleanlab's
 * default ranking; on Fashion-MNIST it put more flips on top than the margin did). Classes with no labeled images never become a threshold (they are skipped).
 */
export function findLabelIssues(probs: readonly (readonly number[])[], labels: readonly number[], classes: number): LabelIssue[] {
  if (probs.length !== labels.length) throw new RangeError(`${probs.length} probability rows for ${labels.length} labels`);
  const sums = new Float64Array(classes);
  const counts = new Float64Array(classes);
  probs.forEach((p, i) => {
    sums[labels[i]!]! += p[labels[i]!]!;
    counts[labels[i]!]!++;
  });
  const thresholds = Array.from(sums, (s, k) => (counts[k]! > 0 ? s / counts[k]! : Number.POSITIVE_INFINITY));
  const issues: LabelIssue[] = [];
  probs.forEach((p, index) => {
    const given = labels[index]!;
    let best = -1;
    for (let j = 0; j < classes; j++) if (p[j]! >= thresholds[j]! && (best < 0 || p[j]! > p[best]!)) best = j;
    if (best < 0 || best === given) return;
    issues.push({ index, given, suggested: best, selfConfidence: p[given]!, margin: p[best]! - p[given]! });
  });
  return issues.sort((a, b) => a.selfConfidence - b.selfConfidence || b.margin - a.margin || a.index - b.index);
}
