import { ApiError } from '../../shared/api/errors.js';
import type { TrainConfigInput } from '../../shared/api/train.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/open-db.js';
import type { Job } from '../jobs/job-registry.js';
import { labelImages, type PreviousLabel } from '../library/labels.js';
import { stmt } from '../library/statements.js';
import { findLabelIssues } from './confident-learning.js';
import { crossValidatedProbabilities, type CrossValidationOptions, type OutOfSample } from './cross-validation.js';

export type SuspectStatus = 'open' | 'accepted' | 'kept' | 'skipped';

export interface Suspect {
  imageId: number;
  relPath: string;
  givenClassId: number;
  given: string;
  suggestedClassId: number;
  suggested: string;
  /** 1 − p(given), out of sample: how little the model believes the label (the ranking). */
  score: number;
  selfConfidence: number;
  status: SuspectStatus;
}

/**
 * Runs k-fold cross-validation (in a training process) and stores the ranked likely mislabels of a dataset, replacing the
 * previous findings except images the user already chose to keep as labeled.
 */
export async function findSuspects(
  ctx: Pick<AppContext, 'db' | 'paths' | 'host' | 'onClose'>,
  datasetId: number,
  opts: CrossValidationOptions,
  job: Job,
  overrides: Partial<TrainConfigInput> = {},
  /** Sees the out-of-sample probabilities (the benchmark ranks them other ways too). */
  onOutOfSample?: (oos: OutOfSample) => void,
): Promise<{ suspects: number; images: number; accuracy: number; foldEpochs: number[]; seconds: number }> {
  const started = performance.now();
  const db = ctx.db;
  const oos = await crossValidatedProbabilities(ctx, datasetId, opts, job, overrides);
  onOutOfSample?.(oos);
  const issues = findLabelIssues(oos.probs, oos.labels, oos.classIds.length);
  job.throwIfCancelled();
  db.transaction(() => {
    stmt(db, "DELETE FROM label_suspects WHERE dataset_id = ? AND status != 'kept'").run(datasetId);
    const put = stmt(
      db,
      `INSERT OR IGNORE INTO label_suspects (image_id, dataset_id, given_class_id, suggested_class_id, score, self_confidence) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (const issue of issues) {
      const image = oos.images[issue.index]!;
      put.run(image.id, datasetId, oos.classIds[issue.given], oos.classIds[issue.suggested], 1 - issue.selfConfidence, issue.selfConfidence);
    }
  })();
  return { suspects: issues.length, images: oos.images.length, accuracy: oos.accuracy, foldEpochs: oos.foldEpochs, seconds: (performance.now() - started) / 1000 };
}

export function listSuspects(db: Db, datasetId: number, status?: SuspectStatus): Suspect[] {
  const rows = stmt(
    db,
    `SELECT s.image_id, i.rel_path, s.given_class_id, g.name AS given, s.suggested_class_id, t.name AS suggested, s.score, s.self_confidence, s.status
       FROM label_suspects s JOIN images i ON i.id = s.image_id JOIN classes g ON g.id = s.given_class_id JOIN classes t ON t.id = s.suggested_class_id
      WHERE s.dataset_id = ? AND (? IS NULL OR s.status = ?) AND i.missing = 0
        AND (s.status != 'open' OR i.class_id IS s.given_class_id)
      ORDER BY s.score DESC, s.self_confidence ASC, s.image_id`,
  ).all(datasetId, status ?? null, status ?? null) as {
    image_id: number;
    rel_path: string;
    given_class_id: number;
    given: string;
    suggested_class_id: number;
    suggested: string;
    score: number;
    self_confidence: number;
    status: SuspectStatus;
  }[];
  return rows.map((r) => ({
    imageId: r.image_id,
    relPath: r.rel_path,
    givenClassId: r.given_class_id,
    given: r.given,
    suggestedClassId: r.suggested_class_id,
    suggested: r.suggested,
    score: r.score,
    selfConfidence: r.self_confidence,
    status: r.status,
  }));
}

export type ReviewAction = 'accept' | 'keep' | 'skip' | 'reopen';

const DECIDED: Record<Exclude<ReviewAction, 'reopen'>, SuspectStatus> = { accept: 'accepted', keep: 'kept', skip: 'skipped' };

/**
 * One review decision: `accept` relabels the image with the suggestion (or with `classId`), `keep` records that the
 * label is right (it is not suggested again), `skip` moves on without deciding, and `reopen` undoes
 * any of them: the suspect is open again and, if it was accepted and still carries the suggestion,
 * labeled as given (one relabeled with another class is undone by restoring the labels `accept` returned).
 * Returns the labels it changed as they were before.
 */
export function reviewSuspect(
  db: Db,
  imageId: number,
  action: ReviewAction,
  classId?: number,
): { status: SuspectStatus; previous: PreviousLabel[]; datasetId: number } {
  if (classId !== undefined && action !== 'accept') throw new ApiError('invalid_input', `classId: only an accept gives a class; "${action}" takes none.`);
  return db.transaction(() => {
    const row = stmt(
      db,
      `SELECT s.dataset_id, s.status, s.given_class_id, s.suggested_class_id, i.class_id
         FROM label_suspects s JOIN images i ON i.id = s.image_id WHERE s.image_id = ?`,
    ).get(imageId) as { dataset_id: number; status: SuspectStatus; given_class_id: number; suggested_class_id: number; class_id: number | null } | undefined;
    if (!row) throw new ApiError('not_found', `Image ${imageId} is not in the likely-mislabel list; run the mislabel check first.`);
    let previous: PreviousLabel[] = [];
    // Giving the image the class it already has is keeping its label.
    const decided = action === 'accept' && classId === row.given_class_id ? 'keep' : action;
    const status: SuspectStatus = decided === 'reopen' ? 'open' : DECIDED[decided];
    if (decided === 'accept') previous = labelImages(db, [imageId], classId ?? row.suggested_class_id).previous;
    else if (action === 'reopen' && row.status === 'accepted' && row.class_id === row.suggested_class_id) {
      previous = labelImages(db, [imageId], row.given_class_id).previous;
    }
    stmt(db, 'UPDATE label_suspects SET status = ? WHERE image_id = ?').run(status, imageId);
    return { status, previous, datasetId: row.dataset_id };
  })();
}
