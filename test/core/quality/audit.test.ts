import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { queryImages } from '../../../src/core/library/query-images.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import type { QualitySummary } from '../../../src/shared/api/quality.js';
import { sandbox, type Sandbox } from '../library/fixtures.js';
import { save, scene } from './scenes.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

function names(datasetId: number, audit: 'dark' | 'bright' | 'blurry' | 'tiny' | 'aspect' | 'grayscale'): string[] {
  return queryImages(box.ctx.db, { datasetId, audit, offset: 0, limit: 100 }).images.map((i) => i.name).sort();
}

describe('folder audit', () => {
  it('flags dark, bright, blurry, tiny, stretched and grey images among normal colour ones, as library filters', async () => {
    box = sandbox('smallset-audit-');
    for (let i = 0; i < 8; i++) save(box.at('d', 'x', `normal${i}.png`), await scene(900 + i));
    const normal = await scene(42);
    save(box.at('d', 'x', 'dark.png'), await sharp(normal).linear(0.1, 0).png().toBuffer());
    save(box.at('d', 'x', 'bright.png'), await sharp(normal).linear(0.15, 225).png().toBuffer());
    save(box.at('d', 'x', 'blurry.png'), await sharp(normal).blur(6).png().toBuffer());
    save(box.at('d', 'x', 'tiny.png'), await sharp(normal).resize(12, 12).png().toBuffer());
    save(box.at('d', 'x', 'wide.png'), await sharp(normal).resize(300, 60, { fit: 'fill' }).png().toBuffer());
    save(box.at('d', 'x', 'grey.png'), await sharp(normal).greyscale().png().toBuffer());
    const { datasetId } = await importFolder(box.ctx, { path: box.at('d') });

    expect(names(datasetId, 'dark')).toEqual(['dark.png']);
    expect(names(datasetId, 'bright')).toEqual(['bright.png']);
    expect(names(datasetId, 'blurry')).toContain('blurry.png');
    expect(names(datasetId, 'blurry')).not.toContain('normal0.png');
    expect(names(datasetId, 'tiny')).toEqual(['tiny.png']);
    expect(names(datasetId, 'aspect')).toEqual(['wide.png']);
    expect(names(datasetId, 'grayscale')).toEqual(['grey.png']);
    const summary = (await dispatch(box.ctx, 'quality.summary', { datasetId })) as QualitySummary;
    expect(summary).toMatchObject({ images: 14, measured: 14 });
    expect(summary.audit.dark).toBe(1);
  });

  it('measures images imported before quality measures existed (backfill)', async () => {
    box = sandbox('smallset-audit-');
    for (let i = 0; i < 3; i++) save(box.at('d', 'x', `n${i}.png`), await scene(700 + i));
    const { datasetId } = await importFolder(box.ctx, { path: box.at('d') });
    box.ctx.db.prepare('DELETE FROM image_quality').run();
    expect(((await dispatch(box.ctx, 'quality.summary', { datasetId })) as QualitySummary).measured).toBe(0);
    expect(await dispatch(box.ctx, 'quality.measure', { datasetId })).toEqual({ measured: 3 });
    expect(((await dispatch(box.ctx, 'quality.summary', { datasetId })) as QualitySummary).measured).toBe(3);
  });
});
