import { listBackbones, removeBackbone } from '../transfer/backbone-store.js';
import { addBackboneFolder, downloadBackbone } from '../transfer/acquire.js';
import { trainBackbone } from '../transfer/train-backbone.js';
import type { DomainServices } from './types.js';

/** Implementations of the backbone (transfer learning) domain's contract methods. */
export const transferServices: DomainServices<'backbones'> = {
  'backbones.list': async (_input, ctx) => ({ backbones: await listBackbones(ctx.paths.backbones) }),
  'backbones.add': (input, ctx) => addBackboneFolder(ctx.paths.backbones, input),
  'backbones.download': (input, ctx) =>
    ctx.jobs.run('backbone-download', input.jobId, (job) =>
      downloadBackbone(ctx.paths.backbones, input.model, input.name, {
        signal: job.signal,
        onProgress: (p) => job.progress({ phase: `downloading ${p.file}`, done: p.done, total: p.total }),
      }),
    ),
  'backbones.train': (input, ctx) => ctx.jobs.run('backbone-train', input.jobId, (job) => trainBackbone(ctx, input, job)),
  'backbones.remove': async (input, ctx) => {
    await removeBackbone(ctx.paths.backbones, input.name);
    return { ok: true as const };
  },
};
