import type { ModelKind } from '../../../shared/api/train.js';

/** What the model builders need, taken from a run's configuration. */
export interface ModelOptions {
  kind: ModelKind;
  size: number;
  classes: number;
  /** Filters per conv block (CNN). */
  filters: readonly number[];
  /** Hidden layer widths (MLP). */
  units: readonly number[];
  dropout: number;
  batchNorm: boolean;
  l1: number;
  l2: number;
  /** Seeds every initializer and dropout layer, so the same seed gives the same initial weights. */
  seed: number;
}
