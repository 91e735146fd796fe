import { recall, remember } from '../lib/stored.js';

export const themeChoices = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof themeChoices)[number];
const isChoice = (v: string): v is ThemeChoice => (themeChoices as readonly string[]).includes(v);

/**
 * Light or dark: the operating system's choice unless the person picked one. The choice sits on
 * <html data-theme>, which the stylesheet reads alongside prefers-color-scheme.
 */
export class ThemeState {
  choice = $state<ThemeChoice>(recall('theme', isChoice) ?? 'system');

  constructor(
    /** Tells the host (the desktop app's native window parts) about the choice. */
    private readonly onChange: (choice: ThemeChoice) => void = () => {},
    private readonly root: HTMLElement = document.documentElement,
  ) {
    this.apply();
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    remember('theme', choice);
    this.apply();
  }

  /** system → light → dark → system, for one button. */
  cycle(): void {
    this.set(themeChoices[(themeChoices.indexOf(this.choice) + 1) % themeChoices.length]!);
  }

  private apply(): void {
    if (this.choice === 'system') delete this.root.dataset.theme;
    else this.root.dataset.theme = this.choice;
    this.onChange(this.choice);
  }
}
