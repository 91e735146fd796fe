import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkArms, loadArmsFile, presetArms } from '../../../src/core/compare/arms.js';
import { DEFAULT_PIPELINE } from '../../../src/core/compare/presets/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-arms-'));
function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
const pipeline = { version: 1 as const, ops: [{ op: 'hflip', p: 0.5 }, { op: 'rotate', p: 1, degrees: [-10, 10] }] };

describe('arms file', () => {
  it('reads inline and file pipelines, fills defaults, keeps the baseline', () => {
    write('aug.json', pipeline);
    const file = write('arms.json', {
      version: 1,
      baseline: 'raw',
      arms: [{ name: 'raw' }, { name: 'aug', pipeline: 'aug.json' }, { name: 'aug+l2', pipeline, l2: 0.001, earlyStopping: 3 }],
    });
    const r = loadArmsFile(file);
    expect(r.baseline).toBe('raw');
    expect(r.arms.map((a) => a.name)).toEqual(['raw', 'aug', 'aug+l2']);
    expect(r.arms[0]).toEqual({ name: 'raw', pipeline: null, l1: 0, l2: 0, dropout: 0, batchNorm: false, earlyStopping: null });
    expect(r.arms[1]!.pipeline).toEqual(pipeline);
    expect(r.arms[2]).toMatchObject({ l2: 0.001, earlyStopping: 3 });
  });

  it('accepts a bare array of arms', () => {
    expect(loadArmsFile(write('bare.json', [{ name: 'a' }, { name: 'b', dropout: 0.2 }])).arms).toHaveLength(2);
  });

  it('names the file, the arm and the field of a bad value', () => {
    const file = write('bad-dropout.json', { arms: [{ name: 'raw' }, { name: 'heavy', dropout: 1.5 }] });
    expect(() => loadArmsFile(file)).toThrow(/bad-dropout\.json, arm "heavy" \(#2\): field "dropout": .*0\.9/);
  });

  it('names an unknown field and an arm without a name', () => {
    expect(() => loadArmsFile(write('typo.json', { arms: [{ name: 'raw', dropuot: 0.3 }] }))).toThrow(/arm "raw" \(#1\): unknown field "dropuot"/);
    expect(() => loadArmsFile(write('noname.json', { arms: [{ l2: 0.1 }] }))).toThrow(/arm #1: field "name"/);
  });

  it('names the arm whose pipeline file is missing or broken', () => {
    expect(() => loadArmsFile(write('missing.json', { arms: [{ name: 'aug', pipeline: 'nope.json' }] }))).toThrow(
      /arm "aug" \(#1\), field "pipeline": Cannot read pipeline file .*nope\.json/,
    );
    write('broken-pipe.json', { version: 2, ops: [] });
    expect(() => loadArmsFile(write('broken.json', { arms: [{ name: 'aug', pipeline: 'broken-pipe.json' }] }))).toThrow(
      /arm "aug" \(#1\), field "pipeline": Pipeline file .*broken-pipe\.json: field "version"/,
    );
  });

  it('rejects invalid JSON and an empty list', () => {
    expect(() => loadArmsFile(write('notjson.json', '{arms: ['))).toThrow(/arms file .*notjson\.json is not valid JSON/);
    expect(() => loadArmsFile(write('empty.json', { arms: [] }))).toThrow(/lists no arms/);
  });
});

const arm = (name: string) => ({ name, pipeline: null, l1: 0, l2: 0, dropout: 0, batchNorm: false, earlyStopping: null });

describe('checkArms', () => {
  it('defaults the baseline to the first arm', () => {
    expect(checkArms([arm('a'), arm('b')], undefined).baseline).toBe('a');
  });
  it('checks pipelines against the op registry, naming the arm', () => {
    const bad = { ...arm('aug'), pipeline: { version: 1 as const, ops: [{ op: 'rotate', degrees: [-400, 10] }] } };
    expect(() => checkArms([arm('raw'), bad], undefined)).toThrow(/Arm "aug" \(#2\), field "pipeline": is not valid: .*rotate.*degrees/);
    const unknown = { ...arm('aug'), pipeline: { version: 1 as const, ops: [{ op: 'twirl' }] } };
    expect(() => checkArms([unknown], undefined)).toThrow(/Arm "aug" \(#1\).*twirl/);
  });

  it('rejects duplicate names and an unknown baseline', () => {
    expect(() => checkArms([arm('a'), arm('a')], undefined)).toThrow(/arm #2 repeats the name "a"/);
    expect(() => checkArms([arm('a'), arm('b')], 'c')).toThrow(/no arm named "c"/);
  });
});

describe('presets', () => {
  it('the default pipeline is valid for the op registry', () => {
    expect(() => checkArms([{ ...arm('aug'), pipeline: DEFAULT_PIPELINE }], undefined)).not.toThrow();
  });

  it('raw vs augmented uses the default pipeline when none is given', () => {
    const r = presetArms('raw-vs-aug', undefined);
    expect(r.arms.map((a) => a.name)).toEqual(['raw', 'augmented']);
    expect(r.arms[0]!.pipeline).toBeNull();
    expect(r.arms[1]!.pipeline).toEqual(DEFAULT_PIPELINE);
    expect(r.baseline).toBe('raw');
  });

  it('+ regularization adds L2, dropout and early stopping on the augmented arm only', () => {
    const r = presetArms('regularize', pipeline);
    expect(r.arms.map((a) => a.name)).toEqual(['raw', 'augmented', 'augmented + regularization']);
    expect(r.arms[1]).toMatchObject({ l2: 0, dropout: 0, earlyStopping: null });
    expect(r.arms[2]).toMatchObject({ pipeline, l2: 0.001, dropout: 0.5, earlyStopping: 5 });
  });

  it('ablation builds each op alone, leave-one-out and all together', () => {
    const three = { version: 1 as const, ops: [{ op: 'hflip' }, { op: 'rotate' }, { op: 'hflip', p: 0.2 }] };
    const r = presetArms('ablation', three);
    expect(r.arms.map((a) => a.name)).toEqual([
      'raw',
      'only hflip #1',
      'only rotate',
      'only hflip #2',
      'without hflip #1',
      'without rotate',
      'without hflip #2',
      'all ops',
    ]);
    expect(r.arms[5]!.pipeline!.ops).toEqual([{ op: 'hflip' }, { op: 'hflip', p: 0.2 }]);
    // Two ops: leave-one-out would duplicate the singles.
    expect(presetArms('ablation', pipeline).arms.map((a) => a.name)).toEqual(['raw', 'only hflip', 'only rotate', 'all ops']);
    expect(() => presetArms('ablation', { version: 1, ops: [{ op: 'hflip' }] })).toThrow(/at least 2 ops/);
  });
});
