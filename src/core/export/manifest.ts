import type { SplitName } from '../../shared/api/common.js';
import type { ConcreteOp, Size } from '../augment/op.js';
import type { ExportPlan } from './plan.js';
import type { RenderResult } from './render-source.js';

/** One written file and everything needed to make it again: source, label, copy index and the exact ops. */
export interface ManifestRow {
  readonly file: string;
  readonly class: string;
  readonly split: SplitName;
  /** Null for the original itself. */
  readonly copy: number | null;
  readonly imageId: number;
  readonly source: string;
  readonly sourceRelPath: string;
  readonly sourceHash: string;
  readonly width: number;
  readonly height: number;
  /** The decoded original the ops were sampled on and applied to. */
  readonly working: Size;
  readonly ops: ConcreteOp[];
}

/** Rows in plan order (image id, then original, then copy index), whatever order the files were written in. */
export function manifestRows(plan: ExportPlan, results: readonly RenderResult[]): ManifestRow[] {
  return plan.sources.flatMap((s, i) => {
    const r = results[i]!;
    return r.outputs.map((o) => ({
      file: o.file,
      class: s.image.className,
      split: s.image.split,
      copy: o.copy,
      imageId: s.image.id,
      source: s.image.path,
      sourceRelPath: s.image.relPath,
      sourceHash: s.image.hash,
      width: o.width,
      height: o.height,
      working: r.working,
      ops: o.ops,
    }));
  });
}

function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLines(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

export const MANIFEST_COLUMNS = [
  'file',
  'class',
  'split',
  'copy',
  'source',
  'source_sha1',
  'image_id',
  'width',
  'height',
  'working_width',
  'working_height',
  'ops',
] as const;

export function manifestCsv(rows: readonly ManifestRow[]): string {
  return csvLines(
    MANIFEST_COLUMNS,
    rows.map((r) => [
      r.file,
      r.class,
      r.split,
      r.copy,
      r.source,
      r.sourceHash,
      r.imageId,
      r.width,
      r.height,
      r.working.width,
      r.working.height,
      JSON.stringify(r.ops),
    ]),
  );
}

export function manifestJsonl(rows: readonly ManifestRow[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
}

/** The flat layout's label file: what pandas or Keras' flow_from_dataframe read. */
export function labelsCsv(rows: readonly ManifestRow[]): string {
  return csvLines(
    ['file', 'class', 'split'],
    rows.map((r) => [r.file, r.class, r.split]),
  );
}
