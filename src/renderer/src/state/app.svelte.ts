import type { Output } from '../../../shared/api/index.js';
import type { Backend } from '../lib/backend.js';
import { errorText } from '../lib/format.js';

export const views = [
  { id: 'library', label: 'Library' },
  { id: 'augment', label: 'Augment' },
  { id: 'train', label: 'Train & compare' },
  { id: 'results', label: 'Results' },
  { id: 'export', label: 'Export' },
] as const;
export type ViewId = (typeof views)[number]['id'];

export function isViewId(value: string | undefined): value is ViewId {
  return views.some((v) => v.id === value);
}

export interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

/** Which view is open, what the host can do, and the messages shown to the person. */
export class AppState {
  view = $state<ViewId>('library');
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

  notify(text: string, kind: Toast['kind'] = 'info'): void {
    const toast = { id: this.nextToast++, kind, text };
    this.toasts = [...this.toasts, toast].slice(-4);
    setTimeout(() => this.dismiss(toast.id), kind === 'error' ? 9000 : 4500);
  }

  fail(err: unknown): void {
    this.notify(errorText(err), 'error');
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }
}
