import { z } from 'zod';
import { method } from './define.js';
import { id, jobId, localPath } from './common.js';

/** One pipeline entry: `{"op": "rotate", "p": 1, "degrees": [-30, 30]}`; one_of / some_of hold child entries in `ops`. */
export type OpSpec = { op: string; p?: number; ops?: OpSpec[]; [param: string]: unknown };
/** A pipeline file: `{"version": 1, "ops": [...]}`. The engine validates it against the op registry. */
export type PipelineSpec = { version: number; ops: OpSpec[] };

/**
 * Pipelines cross the boundary as JSON and are checked by the engine, which names the op index, op
 * and field at fault; here only the outer shape is required.
 */
export const pipelineSpec = z.custom<PipelineSpec>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'a pipeline is an object like {"version": 1, "ops": [{"op": "hflip", "p": 0.5}]}',
);

export const opCategory = z.enum(['geometric', 'colour', 'detail', 'noise', 'erasing', 'composition', 'policy']);
export type OpCategoryName = z.infer<typeof opCategory>;

/** One parameter as the UI draws it (derived from the op's zod schema). `range` values are [low, high]. */
export const paramDescriptor = z.object({
  name: z.string(),
  label: z.string(),
  kind: z.enum(['number', 'int', 'range', 'int_range', 'enum', 'boolean', 'colour']),
  default: z.union([z.number(), z.string(), z.boolean(), z.tuple([z.number(), z.number()])]),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().optional(),
  unit: z.string().optional(),
  options: z.array(z.string()).optional(),
});
export type ParamDescriptor = z.infer<typeof paramDescriptor>;

export const opDescriptor = z.object({
  id: z.string(),
  label: z.string(),
  category: opCategory,
  description: z.string(),
  /** The p an entry gets when it gives none. */
  defaultP: z.number(),
  /** one_of / some_of: the entry holds child entries in `ops`. */
  hasChildren: z.boolean(),
  params: z.array(paramDescriptor),
  /** The parameters as JSON Schema (draft 2020-12), for exporters and generic forms. */
  schema: z.record(z.string(), z.unknown()),
});
export type OpDescriptor = z.infer<typeof opDescriptor>;

/** One op that applied to one sample, with the exact parameters it applied (replayable). */
export const concreteOp = z.object({
  op: z.string(),
  params: z.record(z.string(), z.unknown()),
  /** Where it sits in the pipeline: "2" = ops[2], "2.1" = ops[2].ops[1]. */
  path: z.string(),
});
export type ConcreteOpInfo = z.infer<typeof concreteOp>;

export const pipelineIssue = z.object({
  /** "ops[2].ops[0]", or "" for the pipeline itself. */
  at: z.string(),
  op: z.string().nullable(),
  field: z.string().nullable(),
  message: z.string(),
});
export type PipelineIssueInfo = z.infer<typeof pipelineIssue>;

const rendered = z.object({
  /** data:image/jpeg;base64,… (or webp). */
  dataUrl: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});

const previewSize = z.number().int().min(32).max(2048).default(384);
const previewFormat = z.enum(['jpeg', 'webp']).default('jpeg');
const seed = z.number().int().min(0).max(2 ** 32 - 1).default(0);
const source = z.object({ imageId: id, width: z.number().int(), height: z.number().int() });

export const pipelineSummary = z.object({
  id,
  name: z.string(),
  opCount: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PipelineSummary = z.infer<typeof pipelineSummary>;

const pipelineName = z
  .string()
  .trim()
  .min(1, 'a pipeline name cannot be empty')
  .max(200)
  .refine((s) => !/[/\\]/.test(s), 'a pipeline name cannot contain / or \\');

export const augmentApi = {
  'augment.ops': method(
    'Every augmentation op with its parameters (ranges, defaults, steps) for building pipelines.',
    z.object({}).default({}),
    z.object({ version: z.number().int(), ops: z.array(opDescriptor), fillModes: z.array(z.string()) }),
  ),
  'augment.validatePipeline': method(
    'Check a pipeline; lists every problem with the op index, op id and field at fault.',
    z.object({ pipeline: z.unknown() }),
    z.object({
      valid: z.boolean(),
      issues: z.array(pipelineIssue),
      /** The pipeline with every default written out (null when invalid). */
      canonical: pipelineSpec.nullable(),
    }),
  ),
  'augment.preview': method(
    'N augmented variants of one image at preview size, each with the concrete ops that made it.',
    z.object({
      imageId: id,
      pipeline: pipelineSpec,
      n: z.number().int().min(1).max(64).default(9),
      seed,
      size: previewSize,
      format: previewFormat,
      grid: z.boolean().default(false),
      jobId: jobId.optional(),
    }),
    z.object({
      source,
      variants: z.array(rendered.extend({ index: z.number().int().nonnegative(), ops: z.array(concreteOp) })),
      grid: rendered.nullable(),
      ms: z.number(),
    }),
  ),
  'augment.opStrip': method(
    'Each top-level op of a pipeline applied alone (p forced to 1) to one image.',
    z.object({ imageId: id, pipeline: pipelineSpec, seed, size: previewSize, format: previewFormat, jobId: jobId.optional() }),
    z.object({
      source,
      items: z.array(rendered.extend({ path: z.string(), op: z.string(), label: z.string(), ops: z.array(concreteOp) })),
      ms: z.number(),
    }),
  ),
  'pipelines.list': method('Saved pipelines.', z.object({}).default({}), z.object({ pipelines: z.array(pipelineSummary) })),
  'pipelines.get': method(
    'One saved pipeline by name.',
    z.object({ name: pipelineName }),
    pipelineSummary.extend({ pipeline: pipelineSpec }),
  ),
  'pipelines.save': method(
    'Save a pipeline under a name (replacing one of that name unless overwrite is false).',
    z.object({ name: pipelineName, pipeline: pipelineSpec, overwrite: z.boolean().default(true) }),
    pipelineSummary,
  ),
  'pipelines.delete': method('Delete a saved pipeline.', z.object({ name: pipelineName }), z.object({ deleted: z.boolean() })),
  'pipelines.importFile': method(
    'Read a pipeline JSON file and save it (under its file name unless a name is given).',
    z.object({ path: localPath, name: pipelineName.optional(), overwrite: z.boolean().default(false) }),
    pipelineSummary,
  ),
  'pipelines.exportFile': method(
    'Write a saved pipeline to a JSON file.',
    z.object({ name: pipelineName, path: localPath }),
    z.object({ path: z.string() }),
  ),
  'pipelines.readFile': method(
    'Read and check a pipeline JSON file without saving it (to open it in the editor); name is the file name without .json.',
    z.object({ path: localPath }),
    z.object({ pipeline: pipelineSpec, name: z.string() }),
  ),
  'pipelines.writeFile': method(
    'Check a pipeline and write it to a JSON file (the editor\'s "Save to file").',
    z.object({ pipeline: pipelineSpec, path: localPath }),
    z.object({ path: z.string() }),
  ),
  'augment.importKeras': method(
    'A Keras ImageDataGenerator(...) keyword set (JSON object or pasted Python) as an equivalent pipeline, with what differs or has no equivalent.',
    z.object({
      config: z.union([z.record(z.string(), z.unknown()), z.string().min(1)]),
      /** Training size in pixels; needed only for shift ranges given in pixels. */
      imageSize: z.number().int().min(8).max(4096).optional(),
    }),
    z.object({ pipeline: pipelineSpec, warnings: z.array(z.object({ key: z.string(), message: z.string() })) }),
  ),
  'augment.exportCode': method(
    'A pipeline as Python for Keras preprocessing layers, Albumentations or torchvision transforms v2.',
    z.object({
      pipeline: pipelineSpec,
      target: z.enum(['keras', 'albumentations', 'torchvision']),
      /** Image side written into the code for ops that need pixel sizes (crop); default 224. */
      imageSize: z.number().int().min(8).max(4096).optional(),
    }),
    z.object({ code: z.string(), notes: z.array(z.string()) }),
  ),
} as const;
