/**
 * A native module loaded on first call, or null where it cannot load (a platform without its
 * prebuilt binary): callers then fall back to sharp. CommonJS modules come back as their exports.
 */
export function optionalModule<T>(load: () => Promise<unknown>): () => Promise<T | null> {
  let loading: Promise<T | null> | null = null;
  return () =>
    (loading ??= load().then(
      (mod) => ((mod as { default?: T }).default ?? mod) as T,
      () => null,
    ));
}
