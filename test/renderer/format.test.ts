import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/shared/api/errors.js';
import { errorDetails, errorText } from '../../src/renderer/src/lib/format.js';

describe('error messages in the UI', () => {
  it('shows the message and keeps the code and engine details for "Details"', () => {
    const err = new ApiError('io_error', 'Cannot write /out/a.png: disk full.', 'ENOSPC: no space left on device');
    expect(errorText(err)).toBe('Cannot write /out/a.png: disk full.');
    expect(errorDetails(err)).toBe('code: io_error\nENOSPC: no space left on device');
  });

  it('gives a bug of ours its stack, and plain values no details', () => {
    const bug = new TypeError('x is undefined');
    expect(errorDetails(bug)).toContain('TypeError: x is undefined');
    expect(errorDetails('just text')).toBeUndefined();
    expect(errorDetails(new ApiError('not_found', 'No image 3.'))).toBe('code: not_found');
  });
});
