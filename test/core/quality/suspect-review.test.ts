import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import type { Suspect } from '../../../src/shared/api/quality.js';
import { sandbox, writeTree, type Sandbox } from '../library/fixtures.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

type Review = { status: string; previous: { imageId: number; classId: number | null }[] };

/** A dataset of cats, dogs and birds with two suspects stored as the mislabel check stores them. */
async function withSuspects() {
  box = sandbox('smallset-review-');
  await writeTree(box.at('d'), ['cat/1.jpg', 'cat/2.jpg', 'dog/1.jpg', 'dog/2.jpg', 'bird/1.jpg']);
  const { datasetId } = await importFolder(box.ctx, { path: box.at('d') });
  const db = box.ctx.db;
  const classId = (name: string) => (db.prepare('SELECT id FROM classes WHERE dataset_id = ? AND name = ?').get(datasetId, name) as { id: number }).id;
  const imageId = (rel: string) => (db.prepare('SELECT id FROM images WHERE dataset_id = ? AND rel_path = ?').get(datasetId, rel) as { id: number }).id;
  const cat = classId('cat');
  const dog = classId('dog');
  const put = db.prepare('INSERT INTO label_suspects (image_id, dataset_id, given_class_id, suggested_class_id, score, self_confidence) VALUES (?, ?, ?, ?, ?, ?)');
  put.run(imageId('cat/1.jpg'), datasetId, cat, dog, 0.9, 0.1);
  put.run(imageId('dog/2.jpg'), datasetId, dog, cat, 0.7, 0.3);
  const labelOf = (id: number) => (db.prepare('SELECT class_id FROM images WHERE id = ?').get(id) as { class_id: number | null }).class_id;
  const suspects = async () => ((await dispatch(box.ctx, 'quality.suspects', { datasetId })) as { suspects: Suspect[] }).suspects;
  return { datasetId, cat, dog, bird: classId('bird'), first: imageId('cat/1.jpg'), second: imageId('dog/2.jpg'), labelOf, suspects };
}

describe('reviewing likely mislabels', () => {
  it('reopen undoes an accept: the image gets its given label back and the suspect is open again', async () => {
    const s = await withSuspects();
    const accepted = (await dispatch(box.ctx, 'quality.review', { imageId: s.first, action: 'accept' })) as Review;
    expect(accepted).toEqual({ status: 'accepted', previous: [{ imageId: s.first, classId: s.cat }] });
    expect(s.labelOf(s.first)).toBe(s.dog);

    const reopened = (await dispatch(box.ctx, 'quality.review', { imageId: s.first, action: 'reopen' })) as Review;
    expect(reopened).toEqual({ status: 'open', previous: [{ imageId: s.first, classId: s.dog }] });
    expect(s.labelOf(s.first)).toBe(s.cat);
    expect((await s.suspects()).map((x) => [x.imageId, x.status])).toEqual([
      [s.first, 'open'],
      [s.second, 'open'],
    ]);
  });

  it('keep is remembered; reopen puts a kept or skipped suspect back in the queue without touching labels', async () => {
    const s = await withSuspects();
    await dispatch(box.ctx, 'quality.review', { imageId: s.first, action: 'keep' });
    await dispatch(box.ctx, 'quality.review', { imageId: s.second, action: 'skip' });
    expect((await s.suspects()).map((x) => x.status)).toEqual(['kept', 'skipped']);
    expect(((await dispatch(box.ctx, 'quality.summary', { datasetId: s.datasetId })) as { openSuspects: number }).openSuspects).toBe(0);
    expect(s.labelOf(s.first)).toBe(s.cat);

    for (const imageId of [s.first, s.second]) {
      const r = (await dispatch(box.ctx, 'quality.review', { imageId, action: 'reopen' })) as Review;
      expect(r).toEqual({ status: 'open', previous: [] });
    }
    expect(s.labelOf(s.first)).toBe(s.cat);
    expect(s.labelOf(s.second)).toBe(s.dog);
    expect(((await dispatch(box.ctx, 'quality.summary', { datasetId: s.datasetId })) as { openSuspects: number }).openSuspects).toBe(2);
  });

  it('reopening an accepted suspect the person has labeled otherwise since leaves that label alone', async () => {
    const s = await withSuspects();
    await dispatch(box.ctx, 'quality.review', { imageId: s.first, action: 'accept' });
    await dispatch(box.ctx, 'images.label', { imageIds: [s.first], classId: s.bird });
    const r = (await dispatch(box.ctx, 'quality.review', { imageId: s.first, action: 'reopen' })) as Review;
    expect(r).toEqual({ status: 'open', previous: [] });
    expect(s.labelOf(s.first)).toBe(s.bird);
  });

  it('accept with a class gives that class instead of the suggestion; the given class is a keep; other actions take no class', async () => {
    const s = await withSuspects();
    const relabeled = (await dispatch(box.ctx, 'quality.review', { imageId: s.first, action: 'accept', classId: s.bird })) as Review;
    expect(relabeled).toEqual({ status: 'accepted', previous: [{ imageId: s.first, classId: s.cat }] });
    expect(s.labelOf(s.first)).toBe(s.bird);
    const kept = (await dispatch(box.ctx, 'quality.review', { imageId: s.second, action: 'accept', classId: s.dog })) as Review;
    expect(kept).toEqual({ status: 'kept', previous: [] });
    expect(s.labelOf(s.second)).toBe(s.dog);
    await expect(dispatch(box.ctx, 'quality.review', { imageId: s.second, action: 'skip', classId: s.cat })).rejects.toThrow('classId: only an accept gives a class');
  });

  it('names the image when it is not a suspect', async () => {
    const s = await withSuspects();
    const other = (box.ctx.db.prepare("SELECT id FROM images WHERE rel_path = 'bird/1.jpg'").get() as { id: number }).id;
    await expect(dispatch(box.ctx, 'quality.review', { imageId: other, action: 'reopen' })).rejects.toThrow(`Image ${other} is not in the likely-mislabel list`);
    expect(s.labelOf(other)).toBe(s.bird);
  });
});
