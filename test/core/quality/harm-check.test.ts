import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import type { HarmReport } from '../../../src/shared/api/quality.js';
import { sandbox, type Sandbox } from '../library/fixtures.js';
import { save } from './scenes.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

/** A bright blob in the top or bottom half at a random column: the class is "which way up". */
async function blob(up: boolean, seed: number): Promise<Buffer> {
  const side = 16;
  let s = seed * 2654435761;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) / 16777216;
  const cx = 3 + rand() * 10;
  const cy = up ? 2 + rand() * 3 : 11 + rand() * 3;
  const px = Buffer.alloc(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = Math.hypot(x - cx, y - cy) < 3 ? 230 : 30 + rand() * 30;
      px.fill(Math.round(v), (y * side + x) * 3, (y * side + x) * 3 + 3);
    }
  }
  return sharp(px, { raw: { width: side, height: side, channels: 3 } }).png().toBuffer();
}

async function finished(runId: string): Promise<void> {
  for (;;) {
    const run = (await dispatch(box.ctx, 'runs.get', { runId })) as { status: string; error: string | null };
    if (run.status === 'done') return;
    if (run.status === 'failed' || run.status === 'cancelled') throw new Error(`run ${run.status}: ${run.error}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('augmentation harm check', () => {
  it('flags a vertical flip on classes defined by vertical orientation, not a horizontal flip', async () => {
    box = sandbox('smallset-harm-');
    for (let i = 0; i < 24; i++) {
      const split = i % 4 === 3 ? 'val' : 'train';
      save(box.at('d', split, 'up', `${i}.png`), await blob(true, i + 1));
      save(box.at('d', split, 'down', `${i}.png`), await blob(false, i + 101));
    }
    const { datasetId } = await importFolder(box.ctx, { path: box.at('d') });
    const { runId } = (await dispatch(box.ctx, 'train.start', { datasetId, size: 16, epochs: 8, batchSize: 8, filters: [8, 16], seed: 3 })) as { runId: string };
    await finished(runId);

    const report = (await dispatch(box.ctx, 'quality.harmCheck', { runId, pipeline: { version: 1, ops: [{ op: 'hflip' }, { op: 'vflip' }] } })) as HarmReport;
    expect(report.images).toBe(12);
    expect(report.baseAccuracy).toBeGreaterThan(0.8);
    const [hflip, vflip] = report.ops;
    expect(hflip).toMatchObject({ op: 'hflip', flagged: false });
    expect(vflip).toMatchObject({ op: 'vflip', flagged: true });
    expect(vflip!.drop).toBeGreaterThan(0.5);
    expect(vflip!.classes.map((c) => c.name).sort()).toEqual(['down', 'up']);
    for (const c of vflip!.classes) expect(c.changed).toBeGreaterThan(0.5);
  }, 90_000);
});
