import type { Job } from '../jobs/job-registry.js';
import type { ImageMeasures } from '../quality/measure-image.js';
import { mapPool } from './pool.js';
import { readImageFile, type ReadOutcome } from './read-image.js';
import type { FoundFile } from './walk-folder.js';

export interface ScannedFile {
  file: FoundFile;
  outcome: ReadOutcome;
}

/**
 * libuv runs 4 sharp calls at once by default; 4 in flight keeps both cores busy while one file is
 * being read from disk, without holding many decoded images in memory.
 */
const IN_FLIGHT = 4;

/** Reads, hashes and thumbnails files in parallel, reporting progress on the job. */
export async function scanFiles(files: readonly FoundFile[], thumbsDir: string, job: Job, phase = 'reading images'): Promise<ScannedFile[]> {
  let done = 0;
  job.progress({ phase, done: 0, total: files.length });
  return mapPool(
    files,
    IN_FLIGHT,
    async (file) => {
      const outcome = await readImageFile(file, thumbsDir);
      done++;
      job.progress({ phase, done, total: files.length });
      return { file, outcome };
    },
    job.signal,
  );
}

/** The quality measures taken while reading, by content hash, for `updateQuality`. */
export function measuresByHash(scanned: readonly ScannedFile[]): Map<string, ImageMeasures> {
  const out = new Map<string, ImageMeasures>();
  for (const { outcome } of scanned) if (outcome.ok && outcome.facts.measures) out.set(outcome.facts.hash, outcome.facts.measures);
  return out;
}
