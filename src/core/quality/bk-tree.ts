import { hammingWords, type HashWords } from './perceptual-hash.js';

interface Node {
  hash: HashWords;
  ids: number[];
  children: Map<number, Node>;
}

/**
 * A BK-tree over 64-bit hashes (Hamming distance is a metric, so the triangle inequality prunes
 * every subtree whose edge distance is further than the radius from the query's). Equal hashes
 * share one node. Finding the neighbours of all n images within a small radius visits a small
 * fraction of the tree per query, which keeps 100k images at seconds, not the hours of n² pairs.
 */
export class BkTree {
  private root: Node | null = null;

  add(hash: HashWords, id: number): void {
    if (!this.root) {
      this.root = { hash, ids: [id], children: new Map() };
      return;
    }
    let node = this.root;
    for (;;) {
      const d = hammingWords(hash, node.hash);
      if (d === 0) {
        node.ids.push(id);
        return;
      }
      const child = node.children.get(d);
      if (!child) {
        node.children.set(d, { hash, ids: [id], children: new Map() });
        return;
      }
      node = child;
    }
  }

  /** Ids of every hash within `radius` of `hash` (the query's own id included if it was added). */
  within(hash: HashWords, radius: number): { id: number; distance: number }[] {
    const out: { id: number; distance: number }[] = [];
    const stack = this.root ? [this.root] : [];
    while (stack.length) {
      const node = stack.pop()!;
      const d = hammingWords(hash, node.hash);
      if (d <= radius) for (const id of node.ids) out.push({ id, distance: d });
      for (const [edge, child] of node.children) if (edge >= d - radius && edge <= d + radius) stack.push(child);
    }
    return out;
  }
}
