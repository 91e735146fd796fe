import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBounds, saveBounds, stateFile } from '../../src/main/window-state.js';

const screen = { x: 0, y: 0, width: 1920, height: 1080 };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-window-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('window bounds in the data folder', () => {
  it('round-trips what was saved while it lands on a screen', () => {
    saveBounds(dir, { x: 50, y: 40, width: 1000, height: 700, maximized: true });
    expect(loadBounds(dir, [screen])).toEqual({ x: 50, y: 40, width: 1000, height: 700, maximized: true });
  });

  it('forgets a window left on a monitor that is gone', () => {
    saveBounds(dir, { x: 2500, y: 100, width: 1000, height: 700, maximized: false });
    expect(loadBounds(dir, [screen])).toBeUndefined();
    expect(loadBounds(dir, [screen, { x: 1920, y: 0, width: 1920, height: 1080 }])).toMatchObject({ x: 2500 });
  });

  it('ignores a missing, malformed or implausible file', () => {
    expect(loadBounds(dir, [screen])).toBeUndefined();
    writeFileSync(stateFile(dir), '{not json');
    expect(loadBounds(dir, [screen])).toBeUndefined();
    writeFileSync(stateFile(dir), JSON.stringify({ x: 0, y: 0, width: 10, height: 10 }));
    expect(loadBounds(dir, [screen])).toBeUndefined();
  });

  it('a read-only data folder costs the position, not the app', () => {
    expect(() => saveBounds(path.join(dir, 'missing', 'deeper'), { x: 0, y: 0, width: 800, height: 600, maximized: false })).not.toThrow();
  });
});
