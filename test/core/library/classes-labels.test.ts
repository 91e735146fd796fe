import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClass, deleteClass, listClasses, mergeClasses, updateClass } from '../../../src/core/library/classes.js';
import { importFolder } from '../../../src/core/library/import-folder.js';
import { labelImages, restoreLabels } from '../../../src/core/library/labels.js';
import { palette } from '../../../src/core/library/palette.js';
import { sandbox, writeTree, type Sandbox } from './fixtures.js';

let box: Sandbox;
let datasetId: number;
beforeEach(async () => {
  box = sandbox();
  await writeTree(box.at('pets'), ['cat/1.jpg', 'cat/2.jpg', 'dog/3.jpg', 'kitten/4.jpg', '5.jpg']);
  datasetId = (await importFolder(box.ctx, { path: box.at('pets') })).datasetId;
});
afterEach(() => box.cleanup());

const counts = () => Object.fromEntries(listClasses(box.ctx.db, datasetId).map((c) => [c.name, c.count]));
const classId = (name: string) => listClasses(box.ctx.db, datasetId).find((c) => c.name === name)!.id;
const imageId = (rel: string) => box.ctx.db.prepare('SELECT id FROM images WHERE rel_path = ?').pluck().get(rel) as number;
const labelOf = (rel: string) => box.ctx.db.prepare('SELECT class_id FROM images WHERE rel_path = ?').pluck().get(rel) as number | null;

describe('classes', () => {
  it('lists classes with counts and distinct palette colours', () => {
    const classes = listClasses(box.ctx.db, datasetId);
    expect(counts()).toEqual({ cat: 2, dog: 1, kitten: 1 });
    expect(new Set(classes.map((c) => c.color)).size).toBe(3);
    expect(classes.every((c) => palette.includes(c.color))).toBe(true);
  });

  it('creates a class with the next free colour, or a chosen one, and refuses a duplicate name', () => {
    const bird = createClass(box.ctx.db, datasetId, 'bird');
    expect(bird).toMatchObject({ name: 'bird', count: 0, datasetId });
    expect(listClasses(box.ctx.db, datasetId).filter((c) => c.color === bird.color)).toHaveLength(1);
    expect(createClass(box.ctx.db, datasetId, 'fish', '#123456').color).toBe('#123456');
    expect(() => createClass(box.ctx.db, datasetId, 'cat')).toThrow(/already has a class called "cat"/);
  });

  it('renames and recolours, naming the class on a conflict', () => {
    const renamed = updateClass(box.ctx.db, classId('dog'), { name: 'puppy', color: '#abcdef' });
    expect(renamed).toMatchObject({ name: 'puppy', color: '#abcdef', count: 1 });
    expect(() => updateClass(box.ctx.db, classId('puppy'), { name: 'cat' })).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringContaining('"cat"') }));
    expect(() => updateClass(box.ctx.db, 9999, { name: 'x' })).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('merges classes into a target and deletes the sources', () => {
    const merged = mergeClasses(box.ctx.db, [classId('kitten'), classId('dog')], classId('cat'));
    expect(merged).toMatchObject({ name: 'cat', count: 4 });
    expect(counts()).toEqual({ cat: 4 });
  });

  it('refuses to merge classes of different datasets', async () => {
    await writeTree(box.at('other'), ['zebra/1.jpg'], 40);
    const other = await importFolder(box.ctx, { path: box.at('other') });
    const zebra = listClasses(box.ctx.db, other.datasetId)[0]!.id;
    expect(() => mergeClasses(box.ctx.db, [zebra], classId('cat'))).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it('deletes a class and leaves its images unlabeled', () => {
    expect(deleteClass(box.ctx.db, classId('cat'))).toEqual({ datasetId, unlabeled: 2 });
    expect(counts()).toEqual({ dog: 1, kitten: 1 });
    expect(labelOf('cat/1.jpg')).toBeNull();
  });
});

describe('labels', () => {
  it('labels many images, returns the previous labels, and undo puts them back', () => {
    const ids = [imageId('cat/1.jpg'), imageId('dog/3.jpg'), imageId('5.jpg')];
    const before = ids.map((id) => box.ctx.db.prepare('SELECT class_id FROM images WHERE id = ?').pluck().get(id));
    const result = labelImages(box.ctx.db, ids, classId('kitten'));
    expect(result.updated).toBe(3);
    expect(result.previous).toEqual(ids.map((id, i) => ({ imageId: id, classId: before[i] })));
    expect(counts()).toEqual({ cat: 1, dog: 0, kitten: 4 });

    // Labelling again with the same class changes nothing.
    expect(labelImages(box.ctx.db, ids, classId('kitten')).updated).toBe(0);

    expect(restoreLabels(box.ctx.db, result.previous).updated).toBe(3);
    expect(counts()).toEqual({ cat: 2, dog: 1, kitten: 1 });
    expect(labelOf('5.jpg')).toBeNull();
  });

  it('unlabels with null', () => {
    labelImages(box.ctx.db, [imageId('cat/1.jpg')], null);
    expect(labelOf('cat/1.jpg')).toBeNull();
  });

  it('rejects unknown images and classes of another dataset, changing nothing', async () => {
    expect(() => labelImages(box.ctx.db, [imageId('cat/1.jpg'), 98765], classId('dog'))).toThrow(/no image with id 98765/);
    expect(labelOf('cat/1.jpg')).toBe(classId('cat'));
    await writeTree(box.at('other'), ['zebra/1.jpg'], 40);
    const other = await importFolder(box.ctx, { path: box.at('other') });
    const zebra = listClasses(box.ctx.db, other.datasetId)[0]!.id;
    expect(() => labelImages(box.ctx.db, [imageId('cat/1.jpg')], zebra)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it('refuses to undo onto a class deleted since', () => {
    const { previous } = labelImages(box.ctx.db, [imageId('dog/3.jpg')], classId('cat'));
    deleteClass(box.ctx.db, classId('dog'));
    expect(() => restoreLabels(box.ctx.db, previous)).toThrow(expect.objectContaining({ code: 'conflict' }));
  });
});
