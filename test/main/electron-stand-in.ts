/**
 * A stand-in for the `electron` module, for tests only: Electron's binary cannot be downloaded
 * here, so the built main and preload bundles run against this instead. It implements just the
 * calls our shell makes and records them, so tests can read back what the app asked Electron for.
 * It stands in for a third-party binary; none of our own code is replaced.
 */
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

type Listener = (...args: unknown[]) => unknown;
type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };
type PermissionRequest = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
type ProtocolHandler = (request: { url: string }) => Response | Promise<Response>;

export interface MenuItem {
  label?: string;
  role?: string;
  accelerator?: string;
  click?: () => void;
  submenu?: MenuItem[];
}

export const record = {
  userData: '',
  privilegedSchemes: [] as { scheme: string; privileges: Record<string, boolean> }[],
  protocolHandlers: new Map<string, ProtocolHandler>(),
  ipcHandlers: new Map<string, Listener>(),
  windows: [] as BrowserWindow[],
  menu: [] as MenuItem[],
  permissionRequest: undefined as PermissionRequest | undefined,
  permissionCheck: undefined as (() => boolean) | undefined,
  openedExternally: [] as string[],
  shownInFolder: [] as string[],
  errorBoxes: [] as string[],
  exposed: new Map<string, unknown>(),
  rendererInvokes: [] as unknown[][],
  rendererListeners: new Map<string, Listener[]>(),
  utilityForks: [] as { modulePath: string; args: string[]; options: Record<string, unknown> }[],
  /** What ipcRenderer.invoke resolves with, for preload tests. */
  invokeReply: (..._args: unknown[]): unknown => ({ ok: true, result: null }),
};

class WebContents extends EventEmitter {
  readonly sent: unknown[][] = [];
  windowOpenHandler: WindowOpenHandler | undefined;
  readonly mainFrame = { url: '', parent: null };
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  isDestroyed(): boolean {
    return false;
  }
}

export class BrowserWindow extends EventEmitter {
  /** Open windows only, as Electron answers. */
  static getAllWindows(): BrowserWindow[] {
    return record.windows.filter((w) => !w.closed);
  }
  closed = false;
  maximized = false;
  readonly webContents = new WebContents();
  readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> };
  loaded: { file?: string; url?: string } = {};
  bounds = { x: 40, y: 30, width: 1200, height: 800 };
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    record.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadFile(file: string): Promise<void> {
    this.loaded = { file };
    this.webContents.mainFrame.url = pathToFileURL(file).href;
    return Promise.resolve();
  }
  loadURL(url: string): Promise<void> {
    this.loaded = { url };
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  getBounds() {
    return this.bounds;
  }
  getNormalBounds() {
    return this.bounds;
  }
  isMaximized(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return false;
  }
  isFullScreen(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return false;
  }
  maximize(): void {
    this.maximized = true;
  }
  restore(): void {}
  focus(): void {}
  show(): void {}
  close(): void {
    this.emit('close');
    this.closed = true;
    this.emit('closed');
  }
}

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  name: 'Smallset Studio',
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`stand-in: getPath(${name}) is not used by the app`);
    return record.userData;
  },
  whenReady: () => Promise.resolve(),
  requestSingleInstanceLock: () => true,
  quit: () => {},
  exit: () => {},
});

export const ipcMain = {
  handle(channel: string, listener: Listener): void {
    if (record.ipcHandlers.has(channel)) throw new Error(`stand-in: a handler for ${channel} is already registered`);
    record.ipcHandlers.set(channel, listener);
  },
  removeHandler(channel: string): void {
    record.ipcHandlers.delete(channel);
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void {
    record.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    record.protocolHandlers.set(scheme, handler);
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler: PermissionRequest): void {
      record.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler: () => boolean): void {
      record.permissionCheck = handler;
    },
  },
};

export const Menu = {
  buildFromTemplate(template: MenuItem[]): MenuItem[] {
    return template;
  },
  setApplicationMenu(menu: MenuItem[]): void {
    record.menu = menu;
  },
};

export const dialog = {
  showOpenDialog: async () => ({ canceled: false, filePaths: ['/picked/by/stand-in'] }),
  showSaveDialog: async () => ({ canceled: false, filePath: '/saved/by/stand-in.json' }),
  showErrorBox(title: string, content: string): void {
    record.errorBoxes.push(`${title}: ${content}`);
  },
};

export const shell = {
  openExternal: async (url: string) => {
    record.openedExternally.push(url);
  },
  showItemInFolder(fullPath: string): void {
    record.shownInFolder.push(fullPath);
  },
};

export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};

export const nativeTheme = { shouldUseDarkColors: false, themeSource: 'system' as 'system' | 'light' | 'dark' };

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    record.exposed.set(key, api);
  },
};

export const ipcRenderer = {
  invoke(...args: unknown[]): Promise<unknown> {
    record.rendererInvokes.push(args);
    return Promise.resolve(record.invokeReply(...args));
  },
  on(channel: string, listener: Listener): void {
    record.rendererListeners.set(channel, [...(record.rendererListeners.get(channel) ?? []), listener]);
  },
};

/**
 * utilityProcess.fork as a real Node child process running the same module: the shape of Electron's
 * UtilityProcess (postMessage, 'message', 'exit' with a code, kill). The worker finds no
 * process.parentPort here and talks over the fork channel instead.
 */
export const utilityProcess = {
  fork(modulePath: string, args: string[] = [], options: Record<string, unknown> = {}) {
    record.utilityForks.push({ modulePath, args, options });
    const child = fork(modulePath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' });
    return {
      get pid() {
        return child.pid;
      },
      stdout: child.stdout,
      stderr: child.stderr,
      postMessage: (message: unknown) => void child.send(message as object),
      on(event: 'message' | 'exit', listener: (value: never) => void) {
        if (event === 'exit') child.on('exit', (code) => listener((code ?? 1) as never));
        else child.on('message', (m) => listener(m as never));
        return this;
      },
      kill: () => child.kill(),
    };
  },
};
