import type { Command } from 'commander';
import { registerImport, registerRescan } from './import.js';
import { registerLs, registerStats } from './inspect.js';
import { registerLabel, registerSplit } from './label.js';
import { registerSample } from './sample.js';

/** The library commands, in the order DESIGN.md lists them. */
export function registerLibrary(program: Command): void {
  registerSample(program);
  registerImport(program);
  registerRescan(program);
  registerStats(program);
  registerLs(program);
  registerLabel(program);
  registerSplit(program);
}
