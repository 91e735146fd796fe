import type { Command } from 'commander';
import { registerServe } from './serve.js';
import { registerPreview } from './preview.js';
import { registerTrain } from './train.js';
import { registerLibrary } from './library.js';
import { registerBench } from './bench.js';
import { registerCompare } from './compare.js';
import { registerExport } from './export.js';
import { registerBackbone } from './backbone.js';
import { registerIssues } from './issues.js';

/** Each CLI command registers itself on the program; one line per command module. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerLibrary,
  registerServe,
  registerPreview,
  registerTrain,
  registerCompare,
  registerExport,
  registerBackbone,
  registerIssues,
  registerBench,
];
