import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

/**
 * The desktop app itself, through Playwright's Electron support: the built main process, the
 * preload bridge and the page, against a fresh data folder. Machines without the Electron binary
 * (ELECTRON_SKIP_BINARY_DOWNLOAD, CI without a display) skip it and say why.
 */
const root = path.resolve(import.meta.dirname, '../..');

function electronBinary(): string | null {
  try {
    // The electron package's main export is the path of its binary, once downloaded.
    const binary = createRequire(import.meta.url)('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const mainBundle = path.join(root, 'out', 'main', 'index.js');

// Playwright reads the fixtures a test uses from its first parameter; this one uses none.
// eslint-disable-next-line no-empty-pattern
test('the desktop app opens on an empty library, switches views from the menu and exports the sample', async ({}, info) => {
  test.skip(binary === null, 'The Electron binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); the desktop smoke test needs it.');
  test.skip(!existsSync(mainBundle), `No built main process at ${mainBundle}; run \`npx electron-vite build\` first.`);
  const userData = mkdtempSync(path.join(os.tmpdir(), 'smallset-electron-e2e-'));
  const app = await electron.launch({ executablePath: binary!, args: [mainBundle, `--user-data-dir=${userData}`], cwd: root });
  try {
    const page = await app.firstWindow();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await expect(page.getByRole('heading', { name: 'Bring in a folder of images' })).toBeVisible();
    expect(await page.evaluate(() => typeof (globalThis as { smallset?: unknown }).smallset)).toBe('object');

    await page.getByTestId('create-sample').click();
    await expect(page.getByTestId('class-row')).toHaveCount(4);

    // The View menu sends app.menu to the page.
    await app.evaluate(({ Menu }) => {
      const find = (items: Electron.MenuItem[]): Electron.MenuItem | undefined => {
        for (const item of items) {
          if (item.label === 'Export') return item;
          const inner = item.submenu && find(item.submenu.items);
          if (inner) return inner;
        }
        return undefined;
      };
      find(Menu.getApplicationMenu()?.items ?? [])?.click();
    });
    await expect(page.getByRole('radio', { name: /Augmented dataset/ })).toBeVisible();
    await page.screenshot({ path: info.outputPath('electron-export.png') });
    expect(problems).toEqual([]);
  } finally {
    await app.close();
    rmSync(userData, { recursive: true, force: true });
  }
});
