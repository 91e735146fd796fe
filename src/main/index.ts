import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, session, shell, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MEDIA_SCHEME } from '../shared/api/bridge.js';
import { resumeComparisons } from '../core/compare/queue-for-context.js';
import { createContext, type AppContext } from '../core/context.js';
import { watchOutsideChanges } from '../core/outside-changes.js';
import { warmServices } from '../core/services/index.js';
import { forwardEvents, registerIpc } from './ipc.js';
import { mediaResponse } from './media-protocol.js';
import { menuTemplate } from './menu.js';
import { denyPermissions, hardenContents } from './security.js';
import { trainingProcessStarter } from './training-process.js';
import { trustedSender } from './trust.js';
import { createMainWindow } from './window.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const preload = path.join(here, '../preload/index.cjs');
const pageFile = path.join(here, '../renderer/index.html');
// Only a development build may load its page from electron-vite's dev server.
const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const pageUrl = devUrl ?? pathToFileURL(pageFile).href;

// Must happen before `ready`: lets <img src="smallset://thumb/1"> and fetch() reach our handler.
protocol.registerSchemesAsPrivileged([
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

let ctx: AppContext | undefined;
let mainWindow: BrowserWindow | undefined;

async function pickFolder({ title }: { title?: string }): Promise<string | null> {
  const options: OpenDialogOptions = { title: title ?? 'Choose an image folder', properties: ['openDirectory'] };
  const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

type FileFilter = { name: string; extensions: string[] };

async function pickFile({ title, filters }: { title?: string; filters: FileFilter[] }): Promise<string | null> {
  const options: OpenDialogOptions = { title: title ?? 'Open a file', properties: ['openFile'], filters };
  const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function pickSavePath({ title, defaultName, filters }: { title?: string; defaultName?: string; filters: FileFilter[] }): Promise<string | null> {
  const options: SaveDialogOptions = { title: title ?? 'Save as', filters, ...(defaultName ? { defaultPath: defaultName } : {}) };
  const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

function openWindow(context: AppContext): void {
  const win = createMainWindow({ dataDir: context.dataDir, preload, page: devUrl ? { url: devUrl } : { file: pageFile } });
  forwardEvents(context, win.webContents);
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  mainWindow = win;
}

function start(): void {
  // Training processes are utility processes; set before anything (the comparison queue below) can start a run.
  const startTrainingProcess = trainingProcessStarter(here);
  const context = createContext(app.getPath('userData'), {
    host: { pickFolder, pickFile, pickSavePath, revealPath: (p) => shell.showItemInFolder(p), setTheme: (theme) => (nativeTheme.themeSource = theme), startTrainingProcess },
  });
  ctx = context;
  denyPermissions(session.defaultSession);
  protocol.handle(MEDIA_SCHEME, (request) => mediaResponse(context, request.url));
  registerIpc(ipcMain, context, trustedSender(() => pageUrl));
  // After the run manager gets its launcher (if main sets one): comparisons left unfinished carry on.
  resumeComparisons(context);
  // Labels, imports, splits and training from a terminal meanwhile show up in the window.
  watchOutsideChanges(context);
  const menu = menuTemplate(process.platform, app.name, (command) => context.events.emit('app.menu', command), !app.isPackaged);
  Menu.setApplicationMenu(Menu.buildFromTemplate(menu));
  openWindow(context);
  setImmediate(() => void warmServices());
}

app.on('web-contents-created', (_event, contents) => hardenContents(contents, (url) => void shell.openExternal(url)));

// One app per data folder: a second launch focuses the first window instead.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (ctx && BrowserWindow.getAllWindows().length === 0) openWindow(ctx);
  });
  app.on('will-quit', () => ctx?.close());
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      dialog.showErrorBox('Smallset Studio could not start', err instanceof Error ? err.message : String(err));
      app.exit(1);
    });
}
