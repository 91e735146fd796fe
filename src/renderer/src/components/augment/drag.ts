import type { Entry } from '../../state/augment-entries.js';

/** The op being dragged; drops are accepted only within the list it came from. */
export const dragged: { list: Entry[] | null; index: number } = { list: null, index: -1 };
