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
 * Files read at once. Each file goes back and forth between libuv's pool (read, decode, encode,
 * write: 4 threads by default) and the main thread (hash, resize, measures, bookkeeping), which
 * does about half of a plain JPEG's work: 8 in flight keep work queued on both sides so neither
 * core waits for the other (about 10% more images per second than 4 here), while holding at most
 * 8 files and their decoded pixels (a few MB each) in memory.
 */
const IN_FLIGHT = 8;

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
