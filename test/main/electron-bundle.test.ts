import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeSampleDataset } from '../../src/core/library/sample-dataset.js';
import { methodNames } from '../../src/shared/api/index.js';
import type { CallReply } from '../../src/shared/api/reply.js';
import type { SmallsetBridge } from '../../src/shared/api/bridge.js';
import * as standIn from './electron-stand-in.js';
import { BrowserWindow, record, type MenuItem } from './electron-stand-in.js';

// The built bundles import 'electron'; Electron's binary is not available here.
vi.mock('electron', async () => await import('./electron-stand-in.js'));

const root = path.resolve(import.meta.dirname, '../..');
const outDir = path.join(root, 'out', `test-electron-${process.pid}`);
const mainBundle = path.join(outDir, 'main', 'index.js');
const preloadBundle = path.join(outDir, 'preload', 'index.cjs');
let userData: string;

/** Builds main and preload exactly as `electron-vite build` does, into a private folder. */
async function buildBundles(): Promise<void> {
  const { resolveConfig } = await import('electron-vite');
  const { build } = await import('vite');
  const resolved = await resolveConfig({ root, logLevel: 'warn', build: { outDir } }, 'build', 'production');
  for (const target of ['main', 'preload'] as const) {
    const config = resolved.config?.[target];
    if (!config) throw new Error(`electron.vite.config.ts has no ${target} section`);
    await build({ ...config, logLevel: 'warn' });
  }
}

function menuItem(label: string, items: MenuItem[] = record.menu): MenuItem | undefined {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = item.submenu && menuItem(label, item.submenu);
    if (inner) return inner;
  }
  return undefined;
}

beforeAll(async () => {
  await buildBundles();
  userData = mkdtempSync(path.join(os.tmpdir(), 'smallset-electron-'));
  record.userData = userData;
  await import(pathToFileURL(mainBundle).href);
  await vi.waitFor(() => expect(record.windows).toHaveLength(1), { timeout: 20_000 });
}, 120_000);

afterAll(() => {
  standIn.app.emit('will-quit');
  rmSync(outDir, { recursive: true, force: true });
  rmSync(userData, { recursive: true, force: true });
});

describe('the built main process', () => {
  it('opens one locked-down window: isolated, sandboxed, no Node, web security on', () => {
    const win = record.windows[0]!;
    const prefs = win.options.webPreferences!;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.webSecurity).not.toBe(false);
    expect(prefs.allowRunningInsecureContent).not.toBe(true);
    expect(prefs.preload).toBe(preloadBundle);
    expect(existsSync(String(prefs.preload))).toBe(true);
    expect(win.loaded.file).toBe(path.join(outDir, 'renderer', 'index.html'));
  });

  it('denies navigation, redirects, webviews and window.open; https links go to the system browser', () => {
    const contents = record.windows[0]!.webContents;
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const listeners = contents.listeners(event);
      expect(listeners.length, event).toBeGreaterThan(0);
      const preventDefault = vi.fn();
      for (const l of listeners) (l as (e: unknown, url: string) => void)({ preventDefault }, 'https://evil.example/');
      expect(preventDefault, event).toHaveBeenCalled();
    }
    const open = contents.windowOpenHandler!;
    expect(open({ url: 'https://example.com/docs' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(record.openedExternally).toEqual(['https://example.com/docs']);
  });

  it('denies every permission request and check', () => {
    const granted: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read']) record.permissionRequest!({}, p, (g) => granted.push(g));
    expect(granted).toEqual([false, false, false, false]);
    expect(record.permissionCheck!()).toBe(false);
  });

  it('registers smallset:// as a privileged scheme and serves media by id only', async () => {
    expect(record.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'smallset', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    const handler = record.protocolHandlers.get('smallset')!;
    expect((await handler({ url: 'smallset://thumb/../../library.db' })).status).toBe(400);
    expect((await handler({ url: 'smallset://thumb/12345' })).status).toBe(404);
  });

  it('registers one invoke channel that dispatches every contract method', async () => {
    expect([...record.ipcHandlers.keys()]).toEqual(['smallset:invoke']);
    const invoke = record.ipcHandlers.get('smallset:invoke')!;
    const ownPage = { senderFrame: { url: record.windows[0]!.webContents.mainFrame.url, parent: null } };
    expect(methodNames.length).toBeGreaterThan(20);
    for (const method of methodNames) {
      // A string is no method's input: each call must reach that method's validation, and stop there.
      const reply = (await invoke(ownPage, method, 'not an input')) as CallReply;
      expect(reply.ok, method).toBe(false);
      if (reply.ok) continue;
      expect(reply.error.code, method).toBe('invalid_input');
      expect(reply.error.message.startsWith(`${method}:`), reply.error.message).toBe(true);
    }
    expect(await invoke(ownPage, 'no.such', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await invoke(ownPage, 'datasets.list', {})).toEqual({ ok: true, result: { datasets: [] } });
    expect(await invoke(ownPage, 'app.info', {})).toMatchObject({ ok: true, result: { dataDir: userData, canPickFolder: true } });
    expect(await invoke(ownPage, 'app.pickFolder', {})).toEqual({ ok: true, result: { path: '/picked/by/stand-in' } });
    expect(await invoke(ownPage, 'app.info', {})).toMatchObject({ ok: true, result: { canPickFile: true } });
    expect(await invoke(ownPage, 'app.pickFile', { filters: [{ name: 'Pipeline', extensions: ['json'] }] })).toEqual({ ok: true, result: { path: '/picked/by/stand-in' } });
    expect(await invoke(ownPage, 'app.pickSavePath', { defaultName: 'mild.json' })).toEqual({ ok: true, result: { path: '/saved/by/stand-in.json' } });
    const stranger = { senderFrame: { url: 'https://evil.example/', parent: null } };
    expect(await invoke(stranger, 'datasets.list', {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('forwards engine events to the page on the one event channel (a menu command here)', () => {
    const contents = record.windows[0]!.webContents;
    const before = contents.sent.length;
    menuItem('Open Folder…')!.click!();
    expect(contents.sent.slice(before)).toEqual([['smallset:event', 'app.menu', { command: 'open-folder' }]]);
    expect(menuItem('Open Folder…')!.accelerator).toBe('CmdOrCtrl+O');
  });

  it('trains in an Electron utility process running the built train-worker.js', async () => {
    const invoke = record.ipcHandlers.get('smallset:invoke')!;
    const ownPage = { senderFrame: { url: record.windows[0]!.webContents.mainFrame.url, parent: null } };
    const call = async (method: string, input: unknown) => {
      const reply = (await invoke(ownPage, method, input)) as CallReply;
      if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
      return reply.result as Record<string, unknown>;
    };
    const images = mkdtempSync(path.join(os.tmpdir(), 'smallset-electron-images-'));
    try {
      await writeSampleDataset(images, { classes: 2, perClass: 5, size: 24, seed: 3 });
      const { datasetId } = await call('datasets.import', { path: images, name: 'electron-train' });
      const pipeline = { version: 1, ops: [{ op: 'hflip', p: 0.5 }] };
      const { runId } = await call('train.start', { datasetId, size: 16, epochs: 1, filters: [4, 8], pipeline });
      let run: Record<string, unknown> = {};
      await vi.waitFor(
        async () => {
          run = await call('runs.get', { runId });
          expect(['queued', 'running']).not.toContain(run.status);
        },
        { timeout: 90_000, interval: 250 },
      );
      expect([run.status, run.error, run.epochsDone]).toEqual(['done', null, 1]);
      // Its augmentation thread's entry sits beside every chunk that may start it (no chunk folders).
      const built = readdirSync(path.join(outDir, 'main'), { withFileTypes: true });
      expect(built.filter((f) => f.isDirectory()).map((f) => f.name)).toEqual([]);
      expect(built.map((f) => f.name)).toEqual(expect.arrayContaining(['train-worker.js', 'augment-thread.js']));
      expect(record.utilityForks).toEqual([{ modulePath: path.join(outDir, 'main', 'train-worker.js'), args: [], options: expect.objectContaining({ serviceName: 'Smallset training' }) }]);
    } finally {
      rmSync(images, { recursive: true, force: true });
    }
  }, 120_000);

  it('has native menus whose items reach the page as app.menu commands, with their shortcuts', () => {
    const contents = record.windows[0]!.webContents;
    const sentBy = (label: string): unknown[] => {
      const before = contents.sent.length;
      menuItem(label)!.click!();
      return contents.sent.slice(before).map((s) => s[2]);
    };
    expect(record.menu.map((m) => m.label ?? m.role)).toEqual(expect.arrayContaining(['File', 'Edit', 'View']));
    expect(sentBy('Add Sample Dataset')).toEqual([{ command: 'create-sample' }]);
    expect(sentBy('Rescan Dataset')).toEqual([{ command: 'rescan' }]);
    expect(menuItem('Export…')!.accelerator).toBe('CmdOrCtrl+E');
    expect(sentBy('Export…')).toEqual([{ command: 'view', view: 'export' }]);
    expect(menuItem('Undo')!.accelerator).toBe('CmdOrCtrl+Z');
    expect(sentBy('Undo')).toEqual([{ command: 'undo' }]);
    const views = [
      ['Library', 'library'],
      ['Augment', 'augment'],
      ['Train && Compare', 'train'],
      ['Results', 'results'],
      ['Export', 'export'],
    ] as const;
    for (const [i, [label, view]] of views.entries()) {
      expect(menuItem(label)!.accelerator, label).toBe(`CmdOrCtrl+Shift+${i + 1}`);
      expect(sentBy(label)).toEqual([{ command: 'view', view }]);
    }
  });

  it('lets the page set the theme of the native window parts', async () => {
    const invoke = record.ipcHandlers.get('smallset:invoke')!;
    const ownPage = { senderFrame: { url: record.windows[0]!.webContents.mainFrame.url, parent: null } };
    expect(await invoke(ownPage, 'app.setTheme', { theme: 'dark' })).toEqual({ ok: true, result: { applied: true } });
    expect(standIn.nativeTheme.themeSource).toBe('dark');
    expect(await invoke(ownPage, 'app.setTheme', { theme: 'system' })).toEqual({ ok: true, result: { applied: true } });
    expect(standIn.nativeTheme.themeSource).toBe('system');
    expect(await invoke(ownPage, 'app.setTheme', { theme: 'purple' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('shows a path in the file manager through app.revealPath (and says so when it is gone)', async () => {
    const invoke = record.ipcHandlers.get('smallset:invoke')!;
    const ownPage = { senderFrame: { url: record.windows[0]!.webContents.mainFrame.url, parent: null } };
    expect(await invoke(ownPage, 'app.info', {})).toMatchObject({ ok: true, result: { canRevealPath: true } });
    expect(await invoke(ownPage, 'app.revealPath', { path: userData })).toEqual({ ok: true, result: { shown: true } });
    expect(record.shownInFolder).toEqual([userData]);
    const gone = path.join(userData, 'no-such-export');
    expect(await invoke(ownPage, 'app.revealPath', { path: gone })).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringContaining(gone) } });
    expect(record.shownInFolder).toEqual([userData]);
  });

  it('remembers the window bounds in the data folder', () => {
    const win = record.windows[0]!;
    win.bounds = { x: 100, y: 80, width: 1111, height: 777 };
    win.close();
    const saved = JSON.parse(readFileSync(path.join(userData, 'window-state.json'), 'utf8')) as Record<string, unknown>;
    expect(saved).toEqual({ x: 100, y: 80, width: 1111, height: 777, maximized: false });
  });

  it('opens the next window where the last one was, maximized if it was', () => {
    expect(BrowserWindow.getAllWindows()).toHaveLength(0);
    standIn.app.emit('activate');
    const win = BrowserWindow.getAllWindows()[0]!;
    expect(win.options).toMatchObject({ x: 100, y: 80, width: 1111, height: 777 });
    expect(win.maximized).toBe(false);

    win.close();
    // Closing saved this window; a session that ended maximized elsewhere is what the next launch finds.
    writeFileSync(path.join(userData, 'window-state.json'), JSON.stringify({ x: 10, y: 20, width: 900, height: 700, maximized: true }));
    standIn.app.emit('activate');
    const next = BrowserWindow.getAllWindows()[0]!;
    expect(next.options).toMatchObject({ x: 10, y: 20, width: 900, height: 700 });
    expect(next.maximized).toBe(true);
  });
});

describe('the built preload script', () => {
  let bridge: SmallsetBridge;

  beforeAll(() => {
    // Run it the way a sandboxed preload runs: CommonJS whose require knows only 'electron'.
    const code = readFileSync(preloadBundle, 'utf8');
    const sandboxRequire = (name: string): unknown => {
      if (name === 'electron') return standIn;
      throw new Error(`a sandboxed preload cannot require ${name}`);
    };
    const run = new Function('require', 'module', 'exports', code) as (r: (n: string) => unknown, m: object, e: object) => void;
    run(sandboxRequire, { exports: {} }, {});
    bridge = record.exposed.get('smallset') as SmallsetBridge;
  });

  it('exposes exactly invoke and on as window.smallset, nothing else', () => {
    expect([...record.exposed.keys()]).toEqual(['smallset']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(typeof bridge.invoke).toBe('function');
    expect(typeof bridge.on).toBe('function');
  });

  it('invoke goes over the one invoke channel and returns the reply as is', async () => {
    record.invokeReply = (_channel, method) => ({ ok: false, error: { code: 'not_found', message: `no ${String(method)}` } });
    const reply = await bridge.invoke('images.get', { imageId: 3 });
    expect(record.rendererInvokes.at(-1)).toEqual(['smallset:invoke', 'images.get', { imageId: 3 }]);
    expect(reply).toEqual({ ok: false, error: { code: 'not_found', message: 'no images.get' } });
  });

  it('on subscribes to one event name on the event channel and unsubscribes', () => {
    const got: unknown[] = [];
    const off = bridge.on('job.progress', (p) => got.push(p));
    const deliver = (name: string, payload: unknown) => {
      for (const l of record.rendererListeners.get('smallset:event') ?? []) l({}, name, payload);
    };
    deliver('job.progress', { done: 1 });
    deliver('library.changed', { datasetId: 1 });
    off();
    deliver('job.progress', { done: 2 });
    expect(got).toEqual([{ done: 1 }]);
    expect([...record.rendererListeners.keys()]).toEqual(['smallset:event']);
  });
});
