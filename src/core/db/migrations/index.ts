import type { Migration } from '../migrate.js';
import { library } from './0001-library.js';
import { runs } from './0002-runs.js';
import { comparisons } from './0003-comparisons.js';
import { imageIndexes } from './0004-image-indexes.js';
import { pipelines } from './0005-pipelines.js';
import { runErrorCodes } from './0006-run-error-codes.js';
import { quality } from './0007-quality.js';
import { qualityCentreHash } from './0008-quality-centre-hash.js';
import { qualityMeasuresVersion } from './0009-quality-measures-version.js';
import { imageNameSearch } from './0010-image-name-search.js';
import { qualityColourLayout } from './0011-quality-colour-layout.js';

/**
 * Every schema version, in order. A shipped migration is never edited: add a new file with the
 * next number and append it here.
 */
export const migrations: readonly Migration[] = [library, runs, comparisons, imageIndexes, pipelines, runErrorCodes, quality, qualityCentreHash, qualityMeasuresVersion, imageNameSearch, qualityColourLayout];
