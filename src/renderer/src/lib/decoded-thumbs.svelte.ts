import type { Attachment } from 'svelte/attachments';
import { SvelteMap } from 'svelte/reactivity';

/**
 * The grid's thumbnail pictures: which have loaded and decoded (true) or failed (false), by image
 * id. The grid keeps a row's pictures hidden until all of them have settled and then shows them in
 * one frame: one repaint and raster per row instead of one per picture as each arrives.
 *
 * A tile keeps its <img> from row to row (building and dropping one per image cost the scrolling
 * main thread more than anything else a new row does). Giving it a new image makes that image
 * unsettled in the same update, so the old picture is hidden before the browser paints again.
 */
export class DecodedThumbs {
  private readonly outcome = new SvelteMap<number, boolean>();
  /** The element that last took each id: only it may settle or forget the id. Bookkeeping, not state. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly owner = new Map<number, HTMLImageElement>();

  /**
   * For `{@attach}` on a tile's picture box: shows image `id` from `src` in the box's <img>, decodes
   * it and records the outcome. An <img> still loading would abort its request if given a new src,
   * so it is left to finish on its own and a new one takes its place.
   */
  show(id: number, src: string, alt: string): Attachment<HTMLElement> {
    return (box) => {
      let img = box.querySelector('img');
      if (!img || !img.complete) {
        img?.remove();
        img = document.createElement('img');
        img.decoding = 'async';
        img.draggable = false;
        box.append(img);
      }
      const own = img;
      this.owner.set(id, own);
      this.outcome.delete(id);
      own.alt = alt;
      own.src = src;
      let live = true;
      const settle = (ok: boolean) => {
        if (live && this.owner.get(id) === own) this.outcome.set(id, ok);
      };
      own.decode().then(
        () => settle(true),
        () => settle(false),
      );
      return () => {
        live = false;
        if (this.owner.get(id) !== own) return;
        this.owner.delete(id);
        this.outcome.delete(id);
      };
    };
  }

  settled(id: number): boolean {
    return this.outcome.has(id);
  }

  failed(id: number): boolean {
    return this.outcome.get(id) === false;
  }
}
