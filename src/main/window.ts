import { BrowserWindow, nativeTheme, screen } from 'electron';
import { loadBounds, saveBounds } from './window-state.js';

export interface WindowOptions {
  dataDir: string;
  preload: string;
  /** Our page: the dev server's URL, or the built index.html. */
  page: { url: string } | { file: string };
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const saved = loadBounds(options.dataDir, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    width: saved?.width ?? 1280,
    height: saved?.height ?? 820,
    ...(saved ? { x: saved.x, y: saved.y } : {}),
    minWidth: 880,
    minHeight: 560,
    show: false,
    title: 'Smallset Studio',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16171a' : '#f6f6f7',
    // Locked down, written out here so static checkers (Electronegativity) can see every setting:
    // no Node, the page's own JS world, a sandbox, web security, and no middle-click new windows.
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (saved?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  let timer: NodeJS.Timeout | undefined;
  const remember = () => {
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    const maximized = win.isMaximized();
    const b = maximized ? win.getNormalBounds() : win.getBounds();
    saveBounds(options.dataDir, { x: b.x, y: b.y, width: b.width, height: b.height, maximized });
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(remember, 400);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', () => {
    clearTimeout(timer);
    remember();
  });

  if ('url' in options.page) void win.loadURL(options.page.url);
  else void win.loadFile(options.page.file);
  return win;
}
