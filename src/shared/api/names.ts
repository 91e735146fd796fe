/**
 * Names some API enums are built from, in a module without zod: the CLI prints them in its help
 * without loading the schemas. Each is re-exported beside its schema.
 */

/** Comparison presets (`compare --arms PRESET`). */
export const presetIds = ['raw-vs-aug', 'regularize', 'ablation', 'learning-curve', 'transfer'] as const;

/** Published backbones the studio knows how to download. */
export const downloadableBackbones = ['mobilenet-v2'] as const;

/** `json` is the pipeline file itself; the others are Python from the augment engine's code generator. */
export const pipelineExportFormats = ['json', 'keras', 'albumentations', 'torchvision'] as const;
