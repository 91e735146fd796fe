import type { EvalMetrics } from '../../../shared/api/train.js';
import { accuracyFromConfusion, macroF1, perClassScores } from './classification.js';
import { argmaxRows, confusionMatrix } from './confusion.js';
import { fowlkesMallows } from './fowlkes-mallows.js';
import { oneVsRestRoc } from './roc.js';

/** Mean categorical cross-entropy of probabilities against hard labels; null when it is not finite. */
export function crossEntropy(probabilities: readonly (readonly number[])[], truth: readonly number[]): number | null {
  if (truth.length === 0) return null;
  const eps = 1e-7;
  let sum = 0;
  truth.forEach((t, i) => {
    const p = probabilities[i]![t]!;
    sum -= Math.log(Math.min(1 - eps, Math.max(eps, p)));
  });
  const mean = sum / truth.length;
  return Number.isFinite(mean) ? mean : null;
}

/** Every metric of one evaluation set from the model's class probabilities. */
export function evaluatePredictions(probabilities: readonly (readonly number[])[], truth: readonly number[], classNames: readonly string[]): EvalMetrics {
  const k = classNames.length;
  const predicted = argmaxRows(probabilities);
  const confusion = confusionMatrix(truth, predicted, k);
  const scores = perClassScores(confusion);
  const roc = oneVsRestRoc(probabilities, truth, k);
  return {
    n: truth.length,
    loss: crossEntropy(probabilities, truth),
    accuracy: accuracyFromConfusion(confusion),
    macroF1: macroF1(confusion),
    macroAuc: roc.macroAuc,
    fmi: fowlkesMallows(confusion),
    confusion,
    perClass: scores.map((s, c) => ({ name: classNames[c]!, ...s, auc: roc.perClass[c]!.auc })),
    roc: roc.perClass.map((r, c) => ({ name: classNames[c]!, auc: r.auc, fpr: r.fpr, tpr: r.tpr })),
  };
}
