import { ApiError } from '../../shared/api/errors.js';

/**
 * Runs `fn` over `items` with at most `limit` calls in flight and returns results in input order.
 * On abort no new item starts; the calls already running finish, then it rejects with `cancelled`.
 */
export async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (failure === null && !signal?.aborted && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== null) throw failure;
  if (signal?.aborted) throw new ApiError('cancelled', 'The work was cancelled.');
  return results;
}
