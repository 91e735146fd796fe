import path from 'node:path';
import type { ExportDatasetOptions } from '../../shared/api/export.js';
import type { PipelineJson } from '../augment/pipeline.js';
import { APP_VERSION } from '../version.js';
import type { ManifestRow } from './manifest.js';

export interface CardFacts {
  readonly datasetName: string;
  readonly datasetRoot: string;
  readonly options: ExportDatasetOptions;
  /** The pipeline with every default written out. */
  readonly pipeline: PipelineJson | null;
  readonly rows: readonly ManifestRow[];
  readonly originals: number;
  readonly skipped: { unlabeled: number; unreadable: number; missing: number; otherSplits: number };
  readonly date: Date;
}

/**
 * The export's date: `SOURCE_DATE_EPOCH` when set (the reproducible-builds convention), so even the
 * dataset card comes out byte-identical; otherwise now.
 */
export function exportDate(): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date();
}

export function countFiles(rows: readonly ManifestRow[]): { perClass: Record<string, number>; perSplit: Record<string, Record<string, number>> } {
  const perClass: Record<string, number> = {};
  const perSplit: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    perClass[r.class] = (perClass[r.class] ?? 0) + 1;
    const split = (perSplit[r.split] ??= {});
    split[r.class] = (split[r.class] ?? 0) + 1;
  }
  return { perClass, perSplit };
}

function table(rows: readonly ManifestRow[]): string {
  const { perClass, perSplit } = countFiles(rows);
  const classes = Object.keys(perClass).sort();
  const splits = (['train', 'val', 'test'] as const).filter((s) => perSplit[s]);
  const head = `| class | ${splits.join(' | ')} | total |`;
  const rule = `|---|${splits.map(() => '---:|').join('')}---:|`;
  const body = classes.map((c) => `| ${c.replace(/\|/g, '\\|')} | ${splits.map((s) => perSplit[s]?.[c] ?? 0).join(' | ')} | ${perClass[c]} |`);
  const totals = `| **total** | ${splits.map((s) => Object.values(perSplit[s]!).reduce((a, b) => a + b, 0)).join(' | ')} | ${rows.length} |`;
  return [head, rule, ...body, totals].join('\n');
}

function shellQuote(s: string): string {
  return /^[\w./:=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function command(f: CardFacts): string {
  const o = f.options;
  const parts = ['smallset', 'export', shellQuote(f.datasetName)];
  if (f.pipeline) parts.push('--pipeline', 'pipeline.json');
  parts.push('--copies', String(o.copies), '--out', shellQuote(path.basename(o.out)), '--seed', String(o.seed), '--layout', o.layout, '--format', o.format);
  if (o.format !== 'png') parts.push('--quality', String(o.quality));
  if (o.size !== null) parts.push('--size', String(o.size), '--fit', o.fit);
  if (!o.originals) parts.push('--no-originals');
  if (o.balance) parts.push('--balance');
  parts.push('--splits', o.splits.join(','), '--augment-splits', o.augmentSplits.join(',') || 'none');
  return parts.join(' ');
}

function loading(f: CardFacts): string {
  const size = f.options.size ?? 224;
  if (f.options.layout === 'flat') {
    return [
      'Every image is in `images/`; `labels.csv` gives its class and split:',
      '',
      '```python',
      'import pandas as pd',
      "labels = pd.read_csv('labels.csv')",
      "train = labels[labels.split == 'train']",
      '```',
    ].join('\n');
  }
  return [
    'Each split is an ImageFolder tree (`split/class/file`), read as it is by:',
    '',
    '```python',
    '# Keras',
    'import tensorflow as tf',
    `train = tf.keras.utils.image_dataset_from_directory('train', image_size=(${size}, ${size}))`,
    '',
    '# PyTorch',
    'from torchvision import datasets, transforms',
    `train = datasets.ImageFolder('train', transform=transforms.Compose([transforms.Resize((${size}, ${size})), transforms.ToTensor()]))`,
    '```',
  ].join('\n');
}

/** README.md of an export: what is in it, how it was made, how to load it, how to make it again. */
export function datasetCard(f: CardFacts): string {
  const o = f.options;
  const augmented = o.augmentSplits.filter((s) => o.splits.includes(s));
  const skipped = Object.entries(f.skipped)
    .filter(([, n]) => n > 0)
    .map(([why, n]) => `${n} ${why === 'otherSplits' ? 'in other splits or without a split' : why}`);
  const sizeText = o.size === null ? 'as the pipeline leaves them' : `${o.size} px (${o.fit})`;
  return `# ${f.datasetName}: exported dataset

Made with Smallset Studio ${APP_VERSION} on ${f.date.toISOString().replace(/\.\d{3}Z$/, 'Z')}.
${f.rows.length} image files from ${f.originals} originals of dataset "${f.datasetName}" (${f.datasetRoot}).

${table(f.rows)}

## How it was made

- Augmented copies per image: ${o.copies}${o.balance ? ', balanced (smaller classes get more copies so every class has as many files as the largest)' : ''}, in ${augmented.length ? augmented.join(', ') : 'no split'}.
- Originals ${o.originals ? 'included' : 'left out'}${augmented.length < o.splits.length ? ' (splits that are not augmented always keep their originals)' : ''}.
- Splits: ${o.splits.join(', ')}. Left out: ${skipped.length ? skipped.join(', ') : 'none'}.
- Output: ${o.format.toUpperCase()}${o.format === 'png' ? '' : ` quality ${o.quality}`}, size ${sizeText}, layout ${o.layout}.
- Seed: ${o.seed}. Copy *k* of image *i* draws its parameters from its own generator seeded by (seed, image id, k).
${f.pipeline ? `- Pipeline (also in \`pipeline.json\`):

\`\`\`json
${JSON.stringify(f.pipeline, null, 2)}
\`\`\`` : '- No pipeline: the files are the originals, resized and re-encoded.'}

## Files

- \`manifest.csv\` and \`manifest.jsonl\`: one row per file with its source path and SHA-1, class, split, copy index
  (empty for an original) and every op applied with the parameters it drew, in order. Parameters are for the decoded
  original of size \`working_width\` × \`working_height\`.
${o.layout === 'flat' ? '- `labels.csv`: file, class, split.\n' : ''}
## Loading

${loading(f)}

## Making it again

The same dataset (the manifest records each source's SHA-1), pipeline, seed and options give byte-identical image
files and manifests:

\`\`\`sh
${command(f)}
\`\`\`
`;
}
