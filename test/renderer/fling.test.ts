import { describe, expect, it } from 'vitest';
import { FlingDetector } from '../../src/renderer/src/lib/fling.js';

describe('FlingDetector', () => {
  it('calls reading speed (a screen a second, one notch at a time) no fling', () => {
    const f = new FlingDetector();
    let t = 0;
    for (let y = 0; y < 3000; y += 16) expect(f.sample(y, (t += 16.7))).toBe(false);
  });

  it('calls a dragged scrollbar (300 px a frame) a fling, and settles when told', () => {
    const f = new FlingDetector();
    f.sample(0, 0);
    expect(f.sample(300, 16.7)).toBe(true);
    expect(f.sample(600, 33.4)).toBe(true);
    f.settle();
    expect(f.fast).toBe(false);
  });

  it('does not call a jump after a pause a fling, however far', () => {
    const f = new FlingDetector();
    f.sample(0, 0);
    expect(f.sample(5_000_000, 1500)).toBe(false);
  });

  it('keeps a fling through a stalled frame (a busy machine drawing one frame in 650 ms)', () => {
    const f = new FlingDetector();
    f.sample(0, 0);
    f.sample(400, 33);
    expect(f.sample(8200, 683)).toBe(true);
  });

  it('ends the fling as soon as scrolling slows down', () => {
    const f = new FlingDetector();
    f.sample(0, 0);
    expect(f.sample(400, 16)).toBe(true);
    expect(f.sample(420, 32)).toBe(false);
  });

  it('keeps its state on a repeated position (a scroll event that did not move)', () => {
    const f = new FlingDetector();
    f.sample(0, 0);
    f.sample(400, 16);
    expect(f.sample(400, 20)).toBe(true);
  });
});
