import type { FileFilter } from '../shared/api/jobs.js';
import type { UtilityProcessLike } from './train/worker/utility-launcher.js';

/**
 * What the program hosting the engine can do beyond it. Core cannot import electron, so the
 * desktop app passes its native powers in here; `smallset serve` and the CLI pass none.
 */
export interface HostCapabilities {
  /** Shows the native folder dialog; null when the person cancels it. */
  pickFolder?(options: { title?: string }): Promise<string | null>;
  /** Shows the native open-file dialog; null when the person cancels it. */
  pickFile?(options: { title?: string; filters: FileFilter[] }): Promise<string | null>;
  /** Shows the native save dialog; null when the person cancels it. */
  pickSavePath?(options: { title?: string; defaultName?: string; filters: FileFilter[] }): Promise<string | null>;
  /** Native window parts follow this theme ('system' = the OS setting). */
  setTheme?(theme: 'system' | 'light' | 'dark'): void;
  /** Opens the system file manager with this file or folder selected. */
  revealPath?(path: string): void;
  /**
   * Starts one training process the host's way (Electron: utilityProcess.fork of the built
   * train-worker.js). Absent, training processes start with child_process.fork.
   */
  startTrainingProcess?(): UtilityProcessLike;
}
