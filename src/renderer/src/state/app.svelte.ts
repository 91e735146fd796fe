import type { Output } from '../../../shared/api/index.js';
import type { Backend } from '../lib/backend.js';
import { errorDetails, errorText } from '../lib/format.js';
import { recall, remember } from '../lib/stored.js';

export const views = [
  { id: 'library', label: 'Library' },
  { id: 'augment', label: 'Augment' },
  { id: 'train', label: 'Train & compare' },
  { id: 'results', label: 'Results' },
  { id: 'export', label: 'Export' },
  { id: 'quality', label: 'Quality' },
] as const;
export type ViewId = (typeof views)[number]['id'];

export function isViewId(value: string | undefined): value is ViewId {
  return views.some((v) => v.id === value);
}

export interface Toast {
  id: number;
  kind: 'info' | 'warning' | 'error';
  text: string;
  /** More for the person to read (a long verdict), shown on request as prose. */
  details?: string;
  /** What went wrong underneath (error code, the engine's details), shown on request as code. */
  errorDetails?: string;
}

/** Which view is open, what the host can do, and the messages shown to the person. */
export class AppState {
  // The view open last time, so the app comes back where the person left it.
  #view = $state<ViewId>(recall('view', isViewId) ?? 'library');
  get view(): ViewId {
    return this.#view;
  }
  set view(next: ViewId) {
    this.#view = next;
    remember('view', next);
  }
  info = $state.raw<Output<'app.info'> | null>(null);
  toasts = $state.raw<Toast[]>([]);
  private nextToast = 1;

  constructor(readonly backend: Backend) {}

  async load(): Promise<void> {
    try {
      this.info = await this.backend.client.call('app.info');
    } catch (err) {
      this.fail(err);
    }
  }

  // Toasts the person opened the details of stay until closed.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly pinned = new Set<number>();

  notify(text: string, kind: Toast['kind'] = 'info', details?: string, technical?: string): void {
    const toast: Toast = { id: this.nextToast++, kind, text, ...(details ? { details } : {}), ...(technical ? { errorDetails: technical } : {}) };
    this.toasts = [...this.toasts, toast].slice(-4);
    setTimeout(() => {
      if (!this.pinned.has(toast.id)) this.dismiss(toast.id);
    }, kind === 'info' ? 4500 : 9000);
  }

  fail(err: unknown): void {
    this.notify(errorText(err), 'error', undefined, errorDetails(err));
  }

  pin(id: number): void {
    this.pinned.add(id);
  }

  dismiss(id: number): void {
    this.pinned.delete(id);
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }
}
