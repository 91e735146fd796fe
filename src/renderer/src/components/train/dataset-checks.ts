import type { DatasetSummary } from '../../../../shared/api/library.js';
import { count, plural } from '../../lib/format.js';

export interface Check {
  level: 'error' | 'warning' | 'info';
  text: string;
}

/** What stands in the way of a fair comparison on this dataset, in the order a person should fix it. */
export function datasetChecks(d: DatasetSummary): Check[] {
  const checks: Check[] = [];
  const classes = Object.entries(d.classes).filter(([, n]) => n > 0);
  const labeled = classes.reduce((s, [, n]) => s + n, 0);
  if (labeled === 0) {
    checks.push({
      level: 'error',
      text: d.images
        ? `None of the ${plural(d.images, 'image')} is labeled yet. Label some in the Library (number keys) or import a folder with one sub-folder per class.`
        : 'This dataset has no images. Rescan it or import another folder.',
    });
    return checks;
  }
  if (classes.length < 2) {
    checks.push({ level: 'error', text: `Only one class (“${classes[0]![0]}”) has images; a classifier needs at least two.` });
    return checks;
  }
  const small = classes.filter(([, n]) => n < 10);
  if (small.length) {
    checks.push({
      level: 'warning',
      text: `${small.map(([name, n]) => `“${name}” has ${plural(n, 'image')}`).join(', ')}: with under 10 images a class gives noisy results; more repeats help.`,
    });
  }
  if (d.unlabeled) checks.push({ level: 'info', text: `${count(d.unlabeled)} unlabeled ${d.unlabeled === 1 ? 'image is' : 'images are'} left out.` });
  if (!d.splits.val) checks.push({ level: 'info', text: 'No validation split: each run holds out a seeded, stratified share of the training images.' });
  return checks;
}
