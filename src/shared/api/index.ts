import type { z } from 'zod';
import { libraryApi } from './library.js';
import { jobsApi } from './jobs.js';
import { augmentApi } from './augment.js';
import { trainApi } from './train.js';
import { compareApi } from './compare.js';
import { exportApi } from './export.js';
import { transferApi } from './transfer.js';
import { qualityApi } from './quality.js';

/** The contract: every API method, once. Transports and clients are generic over this list. */
export const api = {
  ...jobsApi,
  ...libraryApi,
  ...augmentApi,
  ...trainApi,
  ...compareApi,
  ...exportApi,
  ...transferApi,
  ...qualityApi,
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
export type Input<M extends MethodName> = z.input<Api[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Api[M]['input']>;
export type Output<M extends MethodName> = z.output<Api[M]['output']>;
export const methodNames = Object.keys(api) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

export * from './common.js';
export * from './errors.js';
export * from './events.js';
export * from './library.js';
export * from './augment.js';
export * from './train.js';
export * from './export.js';
export * from './transfer.js';
export * from './quality.js';
export * from './client.js';
