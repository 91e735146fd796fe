import { hammingWords, type HashWords } from './perceptual-hash.js';

/** 16-bit masks by how many bits they set (0, 1, 2): what a chunk is probed with. */
const MASKS: number[][] = [[0], [], []];
for (let m = 1; m < 1 << 16; m++) {
  const bits = m.toString(2).replaceAll('0', '').length;
  if (bits <= 2) MASKS[bits]!.push(m);
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function chunks(h: HashWords): [number, number, number, number] {
  return [h[0] >>> 16, h[0] & 0xffff, h[1] >>> 16, h[1] & 0xffff];
}

/**
 * Every 64-bit hash within a Hamming radius of a query (multi-index hashing): each hash is filed
 * under its four 16-bit quarters. Two hashes at most r bits apart differ in at most ⌊r/4⌋ bits in
 * one quarter or another (pigeonhole), so probing each quarter's table with every value within
 * ⌊r/4⌋ bits of the query's quarter finds all of them, exactly. For radii up to 11 (the default
 * near-duplicate radius is 10) that is at most 4 × 137 lookups of buckets holding about n / 65536
 * hashes each: 100k random hashes are grouped in seconds, where a BK-tree visits nearly the whole
 * tree per query (64-bit hashes sit ~32 bits apart, so a radius of 10 prunes almost nothing).
 * Larger radii scan every hash.
 */
export class HashIndex {
  private readonly hashes: HashWords[] = [];
  private readonly ids: number[] = [];
  /** The hashes' halves side by side, for cache-friendly distances. */
  private hi = new Int32Array(1024);
  private lo = new Int32Array(1024);
  /** Per quarter: the newest hash filed under each 16-bit value (-1: none), and each hash's next one in that list. */
  private readonly heads = [0, 1, 2, 3].map(() => new Int32Array(1 << 16).fill(-1));
  private nexts = [0, 1, 2, 3].map(() => new Int32Array(1024));
  private seen = new Uint32Array(1024);
  private query = 0;

  add(hash: HashWords, id: number): void {
    const k = this.hashes.length;
    if (k >= this.seen.length) {
      const size = this.seen.length * 2;
      this.nexts = this.nexts.map((old) => {
        const grown = new Int32Array(size);
        grown.set(old);
        return grown;
      });
      const seen = new Uint32Array(size);
      seen.set(this.seen);
      this.seen = seen;
      const hi = new Int32Array(size);
      hi.set(this.hi);
      this.hi = hi;
      const lo = new Int32Array(size);
      lo.set(this.lo);
      this.lo = lo;
    }
    this.hi[k] = hash[0];
    this.lo[k] = hash[1];
    this.hashes.push(hash);
    this.ids.push(id);
    const q = chunks(hash);
    for (let c = 0; c < 4; c++) {
      this.nexts[c]![k] = this.heads[c]![q[c]!]!;
      this.heads[c]![q[c]!] = k;
    }
  }

  /** Ids of every hash within `radius` of `hash` (the query's own id included if it was added). */
  within(hash: HashWords, radius: number): { id: number; distance: number }[] {
    const out: { id: number; distance: number }[] = [];
    const per = Math.floor(radius / 4);
    if (per > 2) {
      this.hashes.forEach((h, k) => {
        const d = hammingWords(hash, h);
        if (d <= radius) out.push({ id: this.ids[k]!, distance: d });
      });
      return out;
    }
    const stamp = ++this.query;
    const { seen, hi, lo } = this;
    const [qh, ql] = hash;
    const mine = chunks(hash);
    for (let c = 0; c < 4; c++) {
      const head = this.heads[c]!;
      const next = this.nexts[c]!;
      for (let bits = 0; bits <= per; bits++) {
        for (const mask of MASKS[bits]!) {
          for (let k = head[mine[c]! ^ mask]!; k >= 0; k = next[k]!) {
            if (seen[k] === stamp) continue;
            seen[k] = stamp;
            const d = popcount(qh ^ hi[k]!) + popcount(ql ^ lo[k]!);
            if (d <= radius) out.push({ id: this.ids[k]!, distance: d });
          }
        }
      }
    }
    return out;
  }
}
