import { describe, expect, it } from 'vitest';
import { assignRowSlots, sameSlots } from '../../src/renderer/src/lib/row-slots.js';

const shown = (slots: (number | null)[]) => slots.filter((r): r is number => r !== null).sort((a, b) => a - b);

describe('assignRowSlots', () => {
  it('puts every row of the window in a slot of its own', () => {
    const slots = assignRowSlots(40, 49, 1000, 12);
    expect(shown(slots)).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51]);
    slots.forEach((row, slot) => expect(row! % 12).toBe(slot));
  });

  it('keeps the rows still in view where they were when scrolling by a row', () => {
    const before = assignRowSlots(40, 49, 1000, 12);
    const after = assignRowSlots(41, 50, 1000, 12);
    const moved = before.filter((row, slot) => row !== after[slot]);
    expect(moved).toEqual([40]);
    expect(after[40 % 12]).toBe(52);
  });

  it('shifts the window back at the end so it stays full', () => {
    expect(shown(assignRowSlots(95, 99, 100, 8))).toEqual([92, 93, 94, 95, 96, 97, 98, 99]);
  });

  it('leaves slots empty only when there are fewer rows than slots', () => {
    expect(assignRowSlots(0, 2, 3, 6)).toEqual([0, 1, 2, null, null, null]);
    expect(assignRowSlots(0, -1, 0, 4)).toEqual([null, null, null, null]);
  });

  it('refuses a window larger than its slots', () => {
    expect(() => assignRowSlots(0, 9, 100, 8)).toThrow(/do not fit in 8 slots/);
  });

  it('compares assignments by value', () => {
    expect(sameSlots(assignRowSlots(3, 6, 50, 6), assignRowSlots(3, 6, 50, 6))).toBe(true);
    expect(sameSlots(assignRowSlots(3, 6, 50, 6), assignRowSlots(4, 7, 50, 6))).toBe(false);
  });
});
