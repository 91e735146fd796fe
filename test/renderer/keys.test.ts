import { describe, expect, it } from 'vitest';
import { gridAction, reviewKey, type KeyLike } from '../../src/renderer/src/lib/keys.js';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('grid keys', () => {
  it('1–9 label with the nth class; 0, Backspace and Delete unlabel', () => {
    expect(gridAction(key('1'), false)).toEqual({ kind: 'label', classIndex: 0 });
    expect(gridAction(key('9'), false)).toEqual({ kind: 'label', classIndex: 8 });
    for (const k of ['0', 'Backspace', 'Delete']) expect(gridAction(key(k), false)).toEqual({ kind: 'unlabel' });
  });

  it('arrows move, Shift extends the selection', () => {
    expect(gridAction(key('ArrowDown'), false)).toEqual({ kind: 'move', dx: 0, dy: 1, extend: false });
    expect(gridAction(key('ArrowLeft', { shiftKey: true }), false)).toEqual({ kind: 'move', dx: -1, dy: 0, extend: true });
  });

  it('undo is Ctrl-Z, or Cmd-Z on a Mac, and not the other way round', () => {
    expect(gridAction(key('z', { ctrlKey: true }), false)).toEqual({ kind: 'undo' });
    expect(gridAction(key('z', { metaKey: true }), true)).toEqual({ kind: 'undo' });
    expect(gridAction(key('z', { metaKey: true }), false)).toBeNull();
    expect(gridAction(key('Z', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
  });

  it('leaves shortcuts with modifiers and other keys alone', () => {
    expect(gridAction(key('1', { ctrlKey: true }), false)).toBeNull();
    expect(gridAction(key('1', { altKey: true }), false)).toBeNull();
    expect(gridAction(key('r', { ctrlKey: true }), false)).toBeNull();
    expect(gridAction(key('a'), false)).toBeNull();
    expect(gridAction(key('Escape'), false)).toEqual({ kind: 'clear' });
  });
});

describe('review keys', () => {
  it('Enter or A accepts, K keeps, S or → skips, Esc leaves; caps lock does not matter', () => {
    for (const k of ['Enter', 'a', 'A']) expect(reviewKey(key(k), false)).toEqual({ kind: 'decide', action: 'accept' });
    expect(reviewKey(key('k'), false)).toEqual({ kind: 'decide', action: 'keep' });
    for (const k of ['s', 'ArrowRight']) expect(reviewKey(key(k), false)).toEqual({ kind: 'decide', action: 'skip' });
    expect(reviewKey(key('Escape'), false)).toEqual({ kind: 'leave' });
  });

  it('undo is Ctrl-Z, or Cmd-Z on a Mac; other chords and keys are left alone', () => {
    expect(reviewKey(key('z', { ctrlKey: true }), false)).toEqual({ kind: 'undo' });
    expect(reviewKey(key('z', { metaKey: true }), true)).toEqual({ kind: 'undo' });
    expect(reviewKey(key('a', { ctrlKey: true }), false)).toBeNull();
    expect(reviewKey(key('k', { shiftKey: true }), false)).toBeNull();
    expect(reviewKey(key('1', { ctrlKey: true }), false)).toBeNull();
    expect(reviewKey(key('0'), false)).toBeNull();
    expect(reviewKey(key('ArrowLeft'), false)).toBeNull();
  });

  it('1–9 give the nth class, as in the grid', () => {
    expect(reviewKey(key('1'), false)).toEqual({ kind: 'relabel', classIndex: 0 });
    expect(reviewKey(key('9'), false)).toEqual({ kind: 'relabel', classIndex: 8 });
  });
});
