/** Colours charts draw with, read from the app's CSS variables so they follow light and dark. */
export interface ChartTheme {
  dark: boolean;
  text: string;
  text2: string;
  grid: string;
  axis: string;
  surface: string;
  accent: string;
  font: string;
  /** One colour per arm (or class), distinguishable in both themes. */
  series: readonly string[];
}

const lightSeries = ['#3b63f3', '#e8590c', '#2b8a3e', '#ae3ec9', '#0c8599', '#c92a2a', '#5f3dc4', '#a57a00', '#495057', '#d6336c'];
const darkSeries = ['#7b98ff', '#ff922b', '#51cf66', '#da77f2', '#3bc9db', '#ff6b6b', '#9775fa', '#fcc419', '#ced4da', '#f783ac'];

/** Perceived lightness of a computed `rgb(r, g, b)` or `rgba(…)` colour is below the middle. */
function isDark(rgb: string): boolean {
  const [r = 255, g = 255, b = 255] = (rgb.match(/[\d.]+/g) ?? []).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
}

let probe: HTMLElement | undefined;

/**
 * The variables hold light-dark() pairs, which only an element can resolve: a hidden probe takes
 * each colour and reports the computed rgb() for the current theme.
 */
function resolveColor(name: string, fallback: string): string {
  if (!probe) {
    probe = document.createElement('span');
    probe.hidden = true;
    document.documentElement.append(probe);
  }
  probe.style.color = `var(${name}, ${fallback})`;
  return getComputedStyle(probe).color || fallback;
}

function read(): ChartTheme {
  const css = getComputedStyle(document.documentElement);
  const bg = resolveColor('--bg', '#ffffff');
  const dark = isDark(bg);
  return {
    dark,
    text: resolveColor('--text', '#1b1c20'),
    text2: resolveColor('--text-2', '#585b66'),
    grid: resolveColor('--border', '#e3e3e8'),
    axis: resolveColor('--border-strong', '#d2d2d9'),
    surface: resolveColor('--surface', '#ffffff'),
    accent: resolveColor('--accent', '#3b63f3'),
    font: css.getPropertyValue('--font').trim() || 'sans-serif',
    series: dark ? darkSeries : lightSeries,
  };
}

/** The current chart colours; changes when the OS theme (or the page's theme attribute) changes. */
class ChartThemeState {
  current = $state.raw<ChartTheme>(read());

  constructor() {
    const refresh = () => {
      // Let the stylesheet apply first.
      requestAnimationFrame(() => (this.current = read()));
    };
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', refresh);
    new MutationObserver(refresh).observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'data-theme', 'style'] });
  }
}

let state: ChartThemeState | undefined;

export function chartTheme(): ChartTheme {
  state ??= new ChartThemeState();
  return state.current;
}

export function seriesColor(theme: ChartTheme, index: number): string {
  return theme.series[index % theme.series.length]!;
}

/** `#rrggbb` at the given opacity, for bands and fills. */
export function alpha(hex: string, a: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${a})`;
}
