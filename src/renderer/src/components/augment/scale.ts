/** A slider's own positions and how they map to values: linear as given, or log for wide ranges. */
export interface Scale {
  readonly min: number;
  readonly max: number;
  readonly step: number;
  toPos(value: number): number;
  /** The value at a position; a move never snaps back onto `current` (a log step can be under one value step). */
  fromPos(pos: number, current: number): number;
}

/** What a one-value slider and a two-thumb range slider both take, besides their value. */
export interface SliderProps {
  min: number;
  max: number;
  step: number;
  label: string;
  /** Marks the typed-in fields (the engine refused the value). */
  invalid?: boolean;
  testid?: string;
  log?: boolean;
}

const LOG_STEPS = 1000;

function decimals(step: number): number {
  const s = String(step);
  return s.includes('.') ? s.length - s.indexOf('.') - 1 : 0;
}

export function makeScale(min: number, max: number, step: number, log: boolean): Scale {
  const snap = (v: number) => Number((Math.round(v / step) * step).toFixed(decimals(step)));
  const clamp = (v: number) => Math.min(max, Math.max(min, v));
  if (!log || min <= 0) {
    return { min, max, step, toPos: (v) => clamp(v), fromPos: (p) => clamp(p) };
  }
  const lo = Math.log(min);
  const span = Math.log(max) - lo || 1;
  const toPos = (v: number) => ((Math.log(clamp(v)) - lo) / span) * LOG_STEPS;
  return {
    min: 0,
    max: LOG_STEPS,
    step: 1,
    toPos,
    fromPos(pos, current) {
      let v = clamp(snap(Math.exp(lo + (pos / LOG_STEPS) * span)));
      if (Number.isFinite(current) && v === current && pos !== toPos(current)) v = clamp(snap(current + Math.sign(pos - toPos(current)) * step));
      return v;
    },
  };
}

/** Ranges over two orders of magnitude or more, above zero, read better on a log scale. */
export function wantsLog(min: number, max: number): boolean {
  return min > 0 && max / min >= 50;
}
