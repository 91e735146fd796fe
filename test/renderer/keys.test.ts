import { describe, expect, it } from 'vitest';
import { gridAction, type KeyLike } from '../../src/renderer/src/lib/keys.js';

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
