import type { Command } from 'commander';
import { registerServe } from './serve.js';
import { registerPreview } from './preview.js';

/** Each CLI command registers itself on the program; one line per command module. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerServe,
  registerPreview,
];
