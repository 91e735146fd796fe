import { describe, expect, it } from 'vitest';
import { accuracyFromConfusion, macroF1, perClassScores } from '../../../../src/core/train/metrics/classification.js';
import { argmaxRows, confusionMatrix } from '../../../../src/core/train/metrics/confusion.js';
import { crossEntropy, evaluatePredictions } from '../../../../src/core/train/metrics/evaluate.js';
import { fowlkesMallows } from '../../../../src/core/train/metrics/fowlkes-mallows.js';
import { oneVsRestRoc, rocCurve } from '../../../../src/core/train/metrics/roc.js';

// truth 0 0 1 1 2 2, predicted 0 1 1 1 2 0 — every figure below is worked out by hand in the comments.
const truth = [0, 0, 1, 1, 2, 2];
const predicted = [0, 1, 1, 1, 2, 0];

describe('confusion matrix and classification scores', () => {
  it('counts true classes in rows and predicted classes in columns', () => {
    expect(confusionMatrix(truth, predicted, 3)).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
  });

  it('gives accuracy, per-class precision/recall/F1 and macro-F1', () => {
    const m = confusionMatrix(truth, predicted, 3);
    expect(accuracyFromConfusion(m)).toBeCloseTo(4 / 6, 12);
    const s = perClassScores(m);
    // precision = diagonal / column sum: 1/2, 2/3, 1/1; recall = diagonal / row sum: 1/2, 2/2, 1/2
    expect(s.map((c) => c.precision)).toEqual([0.5, 2 / 3, 1]);
    expect(s.map((c) => c.recall)).toEqual([0.5, 1, 0.5]);
    expect(s[0]!.f1).toBeCloseTo(0.5, 12);
    expect(s[1]!.f1).toBeCloseTo(0.8, 12);
    expect(s[2]!.f1).toBeCloseTo(2 / 3, 12);
    expect(s.map((c) => c.support)).toEqual([2, 2, 2]);
    expect(macroF1(m)).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12);
  });

  it('leaves a class that is neither true nor predicted out of macro-F1, but keeps one that is only predicted', () => {
    // class 2 never occurs: macro over classes 0 and 1 only (both perfect)
    expect(macroF1(confusionMatrix([0, 1], [0, 1], 3))).toBe(1);
    // class 2 is predicted once but never true: its F1 is 0 and it counts
    const m = confusionMatrix([0, 1, 1], [0, 1, 2], 3);
    expect(macroF1(m)).toBeCloseTo((1 + 2 / 3 + 0) / 3, 12);
  });

  it('takes the first maximum on ties', () => {
    expect(argmaxRows([[0.2, 0.5, 0.3], [0.4, 0.4, 0.2], [0, 0, 1]])).toEqual([1, 0, 2]);
  });
});

describe('Fowlkes–Mallows index', () => {
  it('matches pair counting: 1 pair together in both, 3 in truth, 4 in predictions → 1/√12', () => {
    expect(fowlkesMallows(confusionMatrix(truth, predicted, 3))).toBeCloseTo(1 / Math.sqrt(12), 12);
  });

  it('is 1 for a relabelled perfect grouping and 0 when no pair agrees', () => {
    expect(fowlkesMallows(confusionMatrix([0, 0, 1, 1], [1, 1, 0, 0], 2))).toBe(1);
    expect(fowlkesMallows(confusionMatrix([0, 0, 1, 1], [0, 1, 0, 1], 2))).toBe(0);
  });
});

describe('ROC and AUC', () => {
  // positives score 0.9, 0.8, 0.5; negatives 0.8, 0.7, 0.5.
  // Pairs won: 0.9 beats all 3; 0.8 ties 0.8 (½) and beats 0.7, 0.5; 0.5 ties 0.5 (½) → 6 of 9.
  const scores = [0.9, 0.8, 0.8, 0.7, 0.5, 0.5];
  const positive = [true, true, false, false, true, false];

  it('counts a tie between a positive and a negative as half, drawing a diagonal step', () => {
    const roc = rocCurve(scores, positive);
    expect(roc.auc).toBeCloseTo(6 / 9, 12);
    expect(roc.fpr).toEqual([0, 0, 1 / 3, 2 / 3, 1]);
    expect(roc.tpr).toEqual([0, 1 / 3, 2 / 3, 2 / 3, 1]);
    expect(roc.thresholds).toEqual([0.9, 0.8, 0.7, 0.5]);
  });

  it('is 1 for a perfect ranking, 0.5 when every score ties, and null without negatives', () => {
    expect(rocCurve([0.9, 0.8, 0.1], [true, true, false]).auc).toBe(1);
    expect(rocCurve([0.3, 0.3, 0.3, 0.3], [true, false, true, false]).auc).toBe(0.5);
    expect(rocCurve([0.3, 0.7], [true, true]).auc).toBeNull();
  });

  it('averages one-vs-rest AUCs over the classes that have positives and negatives', () => {
    const probs = [
      [0.7, 0.2, 0.1],
      [0.6, 0.3, 0.1],
      [0.2, 0.7, 0.1],
      [0.5, 0.4, 0.1],
    ];
    // class 0 (true for rows 0,1): scores 0.7, 0.6 vs 0.2, 0.5 → 4/4 = 1
    // class 1 (true for rows 2,3): scores 0.7, 0.4 vs 0.2, 0.3 → 4/4 = 1
    // class 2 never true → null, left out of the mean
    const ovr = oneVsRestRoc(probs, [0, 0, 1, 1], 3);
    expect(ovr.perClass.map((r) => r.auc)).toEqual([1, 1, null]);
    expect(ovr.macroAuc).toBe(1);
    // swap the truth of rows 1 and 3: class 0 scores 0.7, 0.5 vs 0.6, 0.2 → wins 0.7>0.6, 0.7>0.2, 0.5>0.2 = 3/4
    // class 1 scores 0.7, 0.3 vs 0.2, 0.4 → 0.7>0.2, 0.7>0.4, 0.3>0.2 = 3/4
    const swapped = oneVsRestRoc(probs, [0, 1, 1, 0], 3);
    expect(swapped.perClass.map((r) => r.auc)).toEqual([0.75, 0.75, null]);
    expect(swapped.macroAuc).toBe(0.75);
  });
});

describe('evaluatePredictions', () => {
  it('puts every metric of a set together and names the classes', () => {
    const probs = [
      [0.8, 0.2],
      [0.4, 0.6],
      [0.3, 0.7],
      [0.9, 0.1],
    ];
    const m = evaluatePredictions(probs, [0, 0, 1, 1], ['cat', 'dog']);
    expect(m.n).toBe(4);
    expect(m.confusion).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(m.accuracy).toBe(0.5);
    // cat scores of cats 0.8, 0.4 vs dogs 0.3, 0.9 → 0.8>0.3, 0.4>0.3 = 2 of 4
    expect(m.perClass.map((c) => [c.name, c.auc])).toEqual([
      ['cat', 0.5],
      ['dog', 0.5],
    ]);
    expect(m.loss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.4) + Math.log(0.7) + Math.log(0.1)) / 4, 6);
    expect(m.roc[0]!.fpr[0]).toBe(0);
  });

  it('reports cross-entropy with clipped probabilities so a confident mistake stays finite', () => {
    expect(crossEntropy([[1, 0]], [1])).toBeCloseTo(-Math.log(1e-7), 6);
    expect(crossEntropy([], [])).toBeNull();
  });
});
