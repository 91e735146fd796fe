/**
 * Which implementation ('sharp' or 'tf') runs a training pipeline faster on a tfjs backend. Measured
 * once per backend, training size and pipeline, then remembered for the life of the process.
 */
export type AugmentImplName = 'sharp' | 'tf';

export interface ImplMeasurement {
  readonly impl: AugmentImplName;
  /** Milliseconds per image of each implementation on the measured batch. */
  readonly msPerImage: Readonly<Record<AugmentImplName, number>>;
}

const choices = new Map<string, ImplMeasurement>();

export function choiceKey(backend: string, size: number, pipelineJson: unknown): string {
  return `${backend}|${size}|${JSON.stringify(pipelineJson)}`;
}

export function cachedChoice(key: string): ImplMeasurement | undefined {
  return choices.get(key);
}

export function rememberChoice(key: string, m: ImplMeasurement): void {
  choices.set(key, m);
}

/** Forgets every measurement (tests; a changed machine load is not worth re-measuring mid-run). */
export function clearImplChoices(): void {
  choices.clear();
}

export function pickFaster(msPerImage: Record<AugmentImplName, number>): ImplMeasurement {
  return { impl: msPerImage.tf < msPerImage.sharp ? 'tf' : 'sharp', msPerImage };
}
