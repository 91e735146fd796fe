/** Small UI preferences kept in the page's storage (per data folder in the desktop app's profile). */
const PREFIX = 'smallset.';

export function recall<T extends string>(key: string, valid: (value: string) => value is T): T | undefined {
  try {
    const value = localStorage.getItem(PREFIX + key);
    return value !== null && valid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function remember(key: string, value: string): void {
  try {
    localStorage.setItem(PREFIX + key, value);
  } catch {
    // Storage can be off (private windows); the preference just is not kept.
  }
}
