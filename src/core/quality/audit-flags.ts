/** Audit findings, one bit each in image_quality.flags. */
export const AUDIT_FLAGS = { dark: 1, bright: 2, blurry: 4, tiny: 8, aspect: 16, grayscale: 32 } as const;
export type AuditFlag = keyof typeof AUDIT_FLAGS;
export const AUDIT_FLAG_NAMES = Object.keys(AUDIT_FLAGS) as AuditFlag[];

/** Thresholds, documented so a user can tell why an image was flagged. */
export const AUDIT_LIMITS = {
  /** Mean luma below this (of 255) is very dark. */
  dark: 40,
  /** Mean luma above this is very bright (washed out). */
  bright: 215,
  /** Variance of the Laplacian below this (at 128 px) is blurry. */
  blurry: 30,
  /** Shorter side under this many pixels, or under a quarter of the dataset's median shorter side. */
  tinyPixels: 16,
  tinyShare: 0.25,
  /** Longer side over this many times the shorter side. */
  aspect: 3,
  /** Channels closer than this on average (of 255) count as grey. */
  grey: 2,
} as const;

export interface AuditInput {
  brightness: number;
  sharpness: number;
  colourfulness: number;
  width: number | null;
  height: number | null;
}

/**
 * The flags of one image in the context of its dataset: "tiny" is relative to the dataset's
 * median size, and grey images are only flagged where most images are in colour.
 */
export function auditFlags(m: AuditInput, context: { medianShortSide: number; mostlyColour: boolean }): number {
  let flags = 0;
  if (m.brightness < AUDIT_LIMITS.dark) flags |= AUDIT_FLAGS.dark;
  if (m.brightness > AUDIT_LIMITS.bright) flags |= AUDIT_FLAGS.bright;
  if (m.sharpness < AUDIT_LIMITS.blurry) flags |= AUDIT_FLAGS.blurry;
  if (m.width && m.height) {
    const short = Math.min(m.width, m.height);
    const long = Math.max(m.width, m.height);
    if (short < AUDIT_LIMITS.tinyPixels || short < AUDIT_LIMITS.tinyShare * context.medianShortSide) flags |= AUDIT_FLAGS.tiny;
    if (long > AUDIT_LIMITS.aspect * short) flags |= AUDIT_FLAGS.aspect;
  }
  if (context.mostlyColour && m.colourfulness < AUDIT_LIMITS.grey) flags |= AUDIT_FLAGS.grayscale;
  return flags;
}

export function flagNames(flags: number): AuditFlag[] {
  return AUDIT_FLAG_NAMES.filter((f) => (flags & AUDIT_FLAGS[f]) !== 0);
}
