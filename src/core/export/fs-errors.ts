import { ApiError } from '../../shared/api/errors.js';

/** Turns a file-system failure while writing `what` into an error that says what to do. */
export function writeError(err: unknown, what: string): ApiError {
  if (err instanceof ApiError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const why = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new ApiError('io_error', `The disk is full: could not write ${what}. Free some space or choose another destination.`);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new ApiError('io_error', `Permission denied: cannot write ${what}. Choose a folder you can write to.`);
    case 'ENOTDIR':
      return new ApiError('io_error', `Cannot write ${what}: part of that path is a file, not a folder.`);
    case 'ENOENT':
      return new ApiError('io_error', `Cannot write ${what}: a folder on the way does not exist or was removed.`);
    default:
      return new ApiError('io_error', `Cannot write ${what}: ${why}`);
  }
}

export function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}
