import { elementScroll, observeElementOffset, observeElementRect, Virtualizer, type VirtualItem } from '@tanstack/svelte-virtual';

/**
 * TanStack's virtualizer with its state in runes instead of a store: only the rows in view (plus
 * a few) exist in the DOM, however many images the dataset has.
 */
export class VirtualRows {
  items = $state.raw<VirtualItem[]>([]);
  totalSize = $state(0);
  private element: HTMLElement | null = null;
  private readonly virtualizer: Virtualizer<HTMLElement, HTMLElement>;

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
  }

  /** Call from an effect with the scroll container; returns the cleanup. */
  attach(element: HTMLElement): () => void {
    this.element = element;
    const cleanup = this.virtualizer._didMount();
    this.virtualizer._willUpdate();
    this.sync();
    return () => {
      cleanup();
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
