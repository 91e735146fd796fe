import { describe, expect, it } from 'vitest';
import { niceTop } from '../../src/renderer/src/components/charts/nice-top.js';

describe('niceTop', () => {
  it('rounds a loss scale up to a step the axis labels, so its top grid line has a number', () => {
    expect(niceTop(1.45)).toBe(1.5);
    expect(niceTop(0.37)).toBeCloseTo(0.4, 12);
    expect(niceTop(2.3)).toBe(2.5);
    expect(niceTop(9.9)).toBe(10);
    expect(niceTop(14)).toBe(15);
  });

  it('keeps a round value as it is', () => {
    expect(niceTop(1)).toBe(1);
    expect(niceTop(0.5)).toBe(0.5);
  });

  it('never goes below 0.1, also for an empty or broken scale', () => {
    expect(niceTop(0)).toBe(0.1);
    expect(niceTop(0.02)).toBe(0.1);
    expect(niceTop(Number.NaN)).toBe(0.1);
  });

  it('stays within a step of the data: at most five steps from 0', () => {
    for (let max = 0.11; max < 50; max *= 1.37) {
      const top = niceTop(max);
      expect(top).toBeGreaterThanOrEqual(max);
      expect(top).toBeLessThan(max * 2);
    }
  });
});
