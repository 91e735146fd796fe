import type { ArmSpec, ComparePipeline } from '../../../shared/api/compare.js';
import { plainArm, type Preset } from './preset.js';

function opLabel(entry: ComparePipeline['ops'][number], index: number, all: ComparePipeline['ops']): string {
  const sameId = all.filter((o) => o.op === entry.op).length;
  return sameId > 1 ? `${entry.op} #${all.slice(0, index + 1).filter((o) => o.op === entry.op).length}` : entry.op;
}

/**
 * Each top-level op alone, the pipeline without each op (leave one out), and all together, each
 * against raw. A composition (one_of, some_of) counts as one op.
 */
export const ablation: Preset = {
  id: 'ablation',
  label: 'Ablation',
  description: 'Which ops carry the effect: each op alone, the pipeline without each op, and all ops together, against raw.',
  usesPipeline: true,
  minOps: 2,
  fractions: [1],
  build(pipeline) {
    const ops = pipeline.ops;
    const arms: ArmSpec[] = [plainArm('raw', null)];
    ops.forEach((entry, i) => {
      arms.push(plainArm(`only ${opLabel(entry, i, ops)}`, { ...pipeline, ops: [entry] }));
    });
    if (ops.length > 2) {
      // With two ops, "without A" is "only B": leave-one-out would repeat arms already listed.
      ops.forEach((entry, i) => {
        arms.push(plainArm(`without ${opLabel(entry, i, ops)}`, { ...pipeline, ops: ops.filter((_, j) => j !== i) }));
      });
    }
    arms.push(plainArm('all ops', pipeline));
    return { arms, baseline: 'raw' };
  },
};
