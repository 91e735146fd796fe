import type { TfPixelOp } from './tf-op.js';
import { brightnessTf, contrastTf, gammaTf, grayscaleTf, hueTf, saturationTf } from './colour-ops.js';
import { autocontrastTf, equalizeTf, posterizeTf, solarizeTf } from './tone-ops.js';
import { gaussianBlurTf, sharpenTf } from './filter-ops.js';
import { cutoutTf, gaussianNoiseTf, saltPepperTf } from './field-ops.js';
import { jpegQualityTf } from './jpeg-fallback.js';

/** The tensor side of every non-geometric pixel op, by op id (geometric ops run from their geometry()). */
const table: readonly TfPixelOp[] = [
  brightnessTf,
  contrastTf,
  saturationTf,
  hueTf,
  gammaTf,
  grayscaleTf,
  equalizeTf,
  autocontrastTf,
  posterizeTf,
  solarizeTf,
  sharpenTf,
  gaussianBlurTf,
  jpegQualityTf,
  gaussianNoiseTf,
  saltPepperTf,
  cutoutTf,
];

const byId = new Map(table.map((op) => [op.id, op]));

export function findTfOp(id: string): TfPixelOp | undefined {
  return byId.get(id);
}

export const tfOpIds: readonly string[] = table.map((op) => op.id);
