/** What a key press means in the image grid; null when the grid should let the key be. */
export type GridAction =
  | { kind: 'label'; classIndex: number }
  | { kind: 'unlabel' }
  | { kind: 'move'; dx: number; dy: number; extend: boolean }
  | { kind: 'undo' }
  | { kind: 'clear' }
  | { kind: 'selectAll' };

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const MOVES: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/** 1–9 label with the nth class, 0/Backspace/Delete unlabel, arrows move, Ctrl/Cmd-Z undoes. */
export function gridAction(e: KeyLike, mac: boolean): GridAction | null {
  const command = mac ? e.metaKey : e.ctrlKey;
  if (command && !e.altKey) {
    const k = e.key.toLowerCase();
    if (k === 'z' && !e.shiftKey) return { kind: 'undo' };
    if (k === 'a' && !e.shiftKey) return { kind: 'selectAll' };
    return null;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (/^[1-9]$/.test(e.key)) return { kind: 'label', classIndex: Number(e.key) - 1 };
  if (e.key === '0' || e.key === 'Backspace' || e.key === 'Delete') return { kind: 'unlabel' };
  const move = MOVES[e.key];
  if (move) return { kind: 'move', dx: move[0], dy: move[1], extend: e.shiftKey };
  if (e.key === 'Escape') return { kind: 'clear' };
  return null;
}


/** What a key press means while reviewing likely mislabels; null when the review should let it be. */
export type ReviewKey = { kind: 'decide'; action: 'accept' | 'keep' | 'skip' } | { kind: 'relabel'; classIndex: number } | { kind: 'undo' } | { kind: 'leave' };

const REVIEW_KEYS: Record<string, ReviewKey> = {
  Enter: { kind: 'decide', action: 'accept' },
  a: { kind: 'decide', action: 'accept' },
  k: { kind: 'decide', action: 'keep' },
  s: { kind: 'decide', action: 'skip' },
  ArrowRight: { kind: 'decide', action: 'skip' },
  Escape: { kind: 'leave' },
};

/** Enter or A accepts the suggestion, 1–9 give the nth class (as in the grid), K keeps the label, S or → skips, Ctrl/Cmd-Z undoes, Esc leaves. */
export function reviewKey(e: KeyLike, mac: boolean): ReviewKey | null {
  if (mac ? e.metaKey : e.ctrlKey) return gridAction(e, mac)?.kind === 'undo' ? { kind: 'undo' } : null;
  if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return null;
  if (/^[1-9]$/.test(e.key)) return { kind: 'relabel', classIndex: Number(e.key) - 1 };
  return REVIEW_KEYS[e.key.length === 1 ? e.key.toLowerCase() : e.key] ?? null;
}
