import { transferConfig, type TransferMode } from '../../../shared/api/transfer.js';
import { plainArm, type Preset } from './preset.js';

const MODES: { name: string; mode: TransferMode }[] = [
  { name: 'features', mode: 'features' },
  { name: 'finetune', mode: 'finetune' },
  { name: 'lora', mode: 'lora' },
];

export const transfer: Preset = {
  id: 'transfer',
  label: 'Transfer learning',
  description:
    'The CNN from scratch vs a pretrained backbone reused three ways: frozen features + new head, fine-tuning of its top layers, and low-rank adapters (LoRA). Shows accuracy, trainable weights and time per arm.',
  usesPipeline: false,
  minOps: 0,
  fractions: [1],
  needsBackbone: true,
  build: (_pipeline, { backbone }) => ({
    arms: [
      plainArm('scratch', null),
      ...MODES.map(({ name, mode }) => ({ ...plainArm(name, null), transfer: transferConfig.parse({ backbone: backbone ?? 'backbone', mode }) })),
    ],
    baseline: 'scratch',
  }),
};
