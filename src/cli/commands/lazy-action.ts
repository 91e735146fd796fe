/**
 * A command action whose code is imported only when that command runs: registering every command
 * then costs only its name, arguments and options, so `smallset --help` and light commands do not
 * load tfjs, sharp or the engines of commands they do not run.
 */
export function lazyAction<A extends unknown[]>(load: () => Promise<(...args: A) => Promise<void>>): (...args: A) => Promise<void> {
  return async (...args) => (await load())(...args);
}
