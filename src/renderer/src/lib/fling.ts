/**
 * Tells a fling (the scrollbar dragged, a hard flick of the wheel) from reading: faster than
 * `fastPxPerMs` between two scroll positions less than `gapMs` apart. The gap is long because a
 * busy machine can stall a drag for half a second between frames; a jump after a real pause (a
 * keyboard move, scrollTo) is still not a fling, however far it goes. Pure bookkeeping: the caller
 * supplies the clock and settles it with `settle()` once scrolling stops.
 */
export class FlingDetector {
  private lastOffset: number | null = null;
  private lastAt = 0;
  fast = false;

  constructor(
    private readonly fastPxPerMs = 6,
    private readonly gapMs = 1000,
  ) {}

  /** A new scroll position at `now` (ms); returns whether scrolling is now a fling. */
  sample(offset: number, now: number): boolean {
    if (this.lastOffset !== null && offset !== this.lastOffset) {
      const dt = now - this.lastAt;
      this.fast = dt > 0 && dt < this.gapMs && Math.abs(offset - this.lastOffset) / dt > this.fastPxPerMs;
    }
    this.lastOffset = offset;
    this.lastAt = now;
    return this.fast;
  }

  settle(): void {
    this.fast = false;
  }
}
