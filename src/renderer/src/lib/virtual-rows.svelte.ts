import { elementScroll, observeElementOffset, observeElementRect, Virtualizer, type VirtualItem } from '@tanstack/svelte-virtual';
import { untrack } from 'svelte';
import { FlingDetector } from './fling.js';
import { assignRowSlots, sameSlots } from './row-slots.js';

/** How long after the last scroll event a fling counts as over. */
const SETTLE_MS = 120;

/**
 * TanStack's virtualizer with its state in runes instead of a store: only the rows in view (plus
 * a few) exist in the DOM, however many images the dataset has.
 */
export class VirtualRows {
  items = $state.raw<VirtualItem[]>([]);
  totalSize = $state(0);
  /**
   * Rows whose images may load: every row in range while scrolling at reading speed; during a fling
   * only the rows that were already showing. A row that flies past in a few frames would cost a
   * request, a decode and a raster for a picture nobody sees; the rest fill in when the fling ends.
   */
  revealed = $state.raw<readonly number[]>([]);
  /**
   * The row each DOM slot shows (null: none), for rendering: rows scrolling in reuse the slots of
   * rows scrolling out (see assignRowSlots). As many slots as the window has ever needed rows.
   */
  slots = $state.raw<readonly (number | null)[]>([]);
  private element: HTMLElement | null = null;
  private readonly virtualizer: Virtualizer<HTMLElement, HTMLElement>;
  private readonly fling = new FlingDetector();
  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(rowHeight: number, overscan = 3) {
    this.virtualizer = new Virtualizer<HTMLElement, HTMLElement>({
      count: 0,
      getScrollElement: () => this.element,
      estimateSize: () => rowHeight,
      overscan,
      observeElementRect,
      observeElementOffset,
      scrollToFn: elementScroll,
      onChange: () => this.sync(),
    });
  }

  private sync(): void {
    this.items = this.virtualizer.getVirtualItems();
    this.totalSize = this.virtualizer.getTotalSize();
    this.assignSlots();
    const fast = this.fling.sample(this.virtualizer.scrollOffset ?? 0, performance.now());
    clearTimeout(this.settleTimer);
    if (fast) {
      this.settleTimer = setTimeout(() => {
        this.fling.settle();
        this.reveal(false);
      }, SETTLE_MS);
    }
    this.reveal(fast);
  }

  /** Runs inside the grid's effects too: reads its own state untracked, like reveal. */
  private assignSlots(): void {
    const count = this.virtualizer.options.count;
    untrack(() => {
      const items = this.items;
      const size = Math.max(this.slots.length, items.length);
      const next = assignRowSlots(items[0]?.index ?? 0, items[items.length - 1]?.index ?? -1, count, size);
      if (!sameSlots(next, this.slots)) this.slots = next;
    });
  }

  /** Runs inside the grid's effects (update): reads its own state untracked, so it never loops back. */
  private reveal(fast: boolean): void {
    untrack(() => {
      const before = this.revealed;
      const next = this.items.map((item) => item.index).filter((index) => !fast || before.includes(index));
      if (next.length !== before.length || next.some((index, i) => index !== before[i])) this.revealed = next;
    });
  }

  /** Call from an effect with the scroll container; returns the cleanup. */
  attach(element: HTMLElement): () => void {
    this.element = element;
    const cleanup = this.virtualizer._didMount();
    this.virtualizer._willUpdate();
    this.sync();
    return () => {
      cleanup();
      clearTimeout(this.settleTimer);
      this.element = null;
    };
  }

  update(count: number, rowHeight: number, padding: number): void {
    this.virtualizer.setOptions({
      ...this.virtualizer.options,
      count,
      estimateSize: () => rowHeight,
      paddingStart: padding,
      paddingEnd: padding,
    });
    this.virtualizer.measure();
    this.virtualizer._willUpdate();
    this.sync();
  }

  scrollToRow(index: number): void {
    this.virtualizer.scrollToIndex(index, { align: 'auto' });
  }
}
