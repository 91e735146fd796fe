import type { ErrorCode } from '../../../src/shared/api/errors.js';
import type { CallReply } from '../../../src/shared/api/reply.js';

/** One front door, reduced to: send a method name and an input, get the reply (and a status, over HTTP). */
export type CallThrough = (method: string, input: unknown) => Promise<{ reply: CallReply; status?: number }>;

export interface ContractCase {
  name: string;
  method: string;
  input: unknown;
  /** ok, or the error code and words its message must contain (the offending field, the method). */
  expect: { ok: true } | { code: ErrorCode; mentions: string[] };
}

/**
 * The same calls run over every transport (HTTP, IPC) and must give the same answers: the contract
 * is the single list, so no front door may add, drop or reshape a case.
 */
export const contractCases: ContractCase[] = [
  { name: 'app.info answers', method: 'app.info', input: {}, expect: { ok: true } },
  { name: 'an empty library lists no datasets', method: 'datasets.list', input: {}, expect: { ok: true } },
  {
    name: 'an unknown method is named back',
    method: 'datasets.frobnicate',
    input: {},
    expect: { code: 'unknown_method', mentions: ['datasets.frobnicate'] },
  },
  {
    name: 'a wrong type names the field',
    method: 'images.get',
    input: { imageId: 'seven' },
    expect: { code: 'invalid_input', mentions: ['images.get', 'imageId'] },
  },
  {
    name: 'a missing field is named',
    method: 'classes.create',
    input: { name: 'cat' },
    expect: { code: 'invalid_input', mentions: ['datasetId'] },
  },
  {
    name: 'a nested field is named by its path',
    method: 'images.restoreLabels',
    input: { labels: [{ imageId: 1, classId: 'x' }] },
    expect: { code: 'invalid_input', mentions: ['labels.0.classId'] },
  },
  {
    name: 'an input that is not an object is refused',
    method: 'datasets.list',
    input: 'everything',
    expect: { code: 'invalid_input', mentions: ['datasets.list'] },
  },
  {
    name: 'an image that does not exist is not_found',
    method: 'images.get',
    input: { imageId: 987654 },
    expect: { code: 'not_found', mentions: ['987654'] },
  },
];

/** The HTTP status each error code must map to. */
export const httpStatus: Partial<Record<ErrorCode, number>> = {
  invalid_input: 400,
  unknown_method: 400,
  not_found: 404,
  conflict: 409,
  network_error: 502,
  unsupported: 501,
  internal: 500,
};
