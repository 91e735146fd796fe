/** One arm's lines in a CurveChart. */
export interface CurveSeries {
  name: string;
  /** Index into the theme's series colours, so an arm keeps its colour in every chart. */
  color: number;
  train: (number | null)[];
  val: (number | null)[];
  /** 95% band around the validation curve. */
  valLo?: (number | null)[];
  valHi?: (number | null)[];
}
