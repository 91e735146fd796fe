import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../shared/api/events.js';
import { dataPaths, ensureDir, type DataPaths } from './data-dir.js';
import { openDb, type Db } from './db/open-db.js';
import type { HostCapabilities } from './host.js';
import { JobRegistry } from './jobs/job-registry.js';

/** Typed event bus: core emits, transports forward to their clients. */
export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit('event', event, payload);
  }
  /** Listens to every event; returns the unsubscribe function. */
  onAny(listener: (event: EventName, payload: unknown) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}

/** Everything a service needs, passed in rather than imported, so tests can build their own. */
export interface AppContext {
  readonly dataDir: string;
  readonly paths: DataPaths;
  readonly db: Db;
  readonly events: EventBus;
  readonly jobs: JobRegistry;
  readonly firstRun: boolean;
  /** Native powers of the host program (the desktop app's dialogs); absent in the CLI and serve. */
  readonly host?: HostCapabilities;
  /** Runs on close, last registered first (worker pools, queues, servers). */
  onClose(fn: () => void): void;
  close(): void;
}

export function createContext(dataDir: string, options: { host?: HostCapabilities } = {}): AppContext {
  const paths = dataPaths(ensureDir(dataDir));
  const db = openDb(paths.db);
  const firstRun = (db.prepare('SELECT COUNT(*) AS n FROM datasets').get() as { n: number }).n === 0;
  const events = new EventBus();
  const jobs = new JobRegistry(
    (p) => events.emit('job.progress', p),
    (s) => events.emit('job.status', s),
  );
  const closers: (() => void)[] = [];
  return {
    dataDir,
    paths,
    db,
    events,
    jobs,
    firstRun,
    host: options.host ?? {},
    onClose(fn) {
      closers.unshift(fn);
    },
    close() {
      jobs.cancelAll();
      for (const c of closers) c();
      if (db.open) db.close();
    },
  };
}
