import type { MethodName } from '../../shared/api/index.js';
import type { Handler, Services } from './types.js';

type Domain = MethodName extends infer M ? (M extends `${infer P}.${string}` ? P : never) : never;

/**
 * Which module implements each domain (the method name's prefix). A module loads on the first call
 * into its domain, so a process pays only for what it uses: `smallset stats` never loads tfjs or the
 * training engine. The type makes a missing domain or method a compile error.
 */
const domains: { [P in Domain]: () => Promise<Pick<Services, Extract<MethodName, `${P}.${string}`>>> } = {
  app: () => import('./app-services.js').then((m) => m.appServices),
  jobs: () => import('./app-services.js').then((m) => m.appServices),
  datasets: () => import('./library-services.js').then((m) => m.libraryServices),
  classes: () => import('./library-services.js').then((m) => m.libraryServices),
  images: () => import('./library-services.js').then((m) => m.libraryServices),
  splits: () => import('./library-services.js').then((m) => m.libraryServices),
  augment: () => import('./augment-services.js').then((m) => m.augmentServices),
  pipelines: () => import('./augment-services.js').then((m) => m.augmentServices),
  train: () => import('./train-services.js').then((m) => m.trainServices),
  runs: () => import('./train-services.js').then((m) => m.trainServices),
  compare: () => import('./compare-services.js').then((m) => m.compareServices),
  export: () => import('./export-services.js').then((m) => m.exportServices),
  backbones: () => import('./transfer-services.js').then((m) => m.transferServices),
  quality: () => import('./quality-services.js').then((m) => m.qualityServices),
};

/** The implementation of one contract method (its domain's module is imported on first use). */
export async function serviceFor<M extends MethodName>(method: M): Promise<Handler<M>> {
  const domain = method.slice(0, method.indexOf('.')) as Domain;
  const table = (await domains[domain]()) as unknown as Record<M, Handler<M>>;
  return table[method];
}

/**
 * Loads every domain's module ahead of its first call, for long-lived hosts (serve, the desktop app)
 * once they are up: the first click on a view then does not wait for its engine. Failures are left
 * to the call that needs the module, which reports them.
 */
export async function warmServices(): Promise<void> {
  for (const load of Object.values(domains)) await load().catch(() => undefined);
}
