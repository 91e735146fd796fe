/**
 * Which row each of a fixed set of DOM slots shows. A row keeps its slot (`row % slots`) for as long
 * as it stays in the window, and a row scrolling in takes the slot of the one that scrolled out, so
 * scrolling rewrites a few attributes and texts in place instead of building and tearing down rows
 * of tiles (and their style and layout objects). The window is always `slots` rows long (fewer only
 * when there are fewer rows), so no slot empties and refills at the edges.
 *
 * `first`…`last` are the rows that must show (in view plus overscan); `slots` must cover them.
 * Returns, per slot, its row or null when there is none.
 */
export function assignRowSlots(first: number, last: number, count: number, slots: number): (number | null)[] {
  if (last - first + 1 > slots) throw new RangeError(`rows ${first}–${last} do not fit in ${slots} slots`);
  const out = new Array<number | null>(slots).fill(null);
  if (count <= 0 || last < first) return out;
  const start = Math.max(0, Math.min(first, count - slots));
  for (let row = start; row < Math.min(count, start + slots); row++) out[row % slots] = row;
  return out;
}

/** Same rows in the same slots. */
export function sameSlots(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((row, i) => row === b[i]);
}
