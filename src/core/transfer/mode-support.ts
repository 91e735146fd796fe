import { ApiError } from '../../shared/api/errors.js';
import type { BackboneInfo, TransferMode } from '../../shared/api/transfer.js';

/** A graph model (a converted SavedModel) is a fixed function: it gives embeddings but has no layers to unfreeze or adapt. */
export function checkTransferMode(info: Pick<BackboneInfo, 'name' | 'format'>, mode: TransferMode, arm?: string): void {
  if (info.format === 'layers-model' || mode === 'features') return;
  throw new ApiError(
    'unsupported',
    `${arm ? `Arm "${arm}": b` : 'B'}ackbone "${info.name}" is a TensorFlow.js graph model, so it supports feature extraction only; ${mode === 'lora' ? 'LoRA' : 'fine-tuning'} needs a layers model (use arms with "mode": "features", or a layers-model backbone).`,
  );
}
