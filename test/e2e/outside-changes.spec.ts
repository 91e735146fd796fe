import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { api, cleanUpSpec, datasetIds, freshSample, shot, thumbnailsLoaded, url, watch, writeSwatch } from './helpers.js';

test.describe.configure({ mode: 'serial' });

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-e2e-outside-'));
const NAME = 'outside-e2e';
let before: number[] = [];

/** The real CLI, as someone would run it in a terminal beside the open studio, on its data folder. */
async function smallset(...args: string[]): Promise<unknown> {
  const { stdout } = await run(path.join(root, 'bin', 'smallset'), cliArgs(args), { cwd: root });
  return JSON.parse(stdout);
}
function cliArgs(args: string[]): string[] {
  const data = process.env.SMALLSET_E2E_DATA;
  if (!data) throw new Error('SMALLSET_E2E_DATA is not set; run through playwright.config.ts.');
  return ['--data', data, '--json', ...args];
}

test.beforeAll(async ({ browser }) => {
  let n = 0;
  for (const cls of ['apples', 'pears']) {
    mkdirSync(path.join(dir, 'set', cls), { recursive: true });
    for (let i = 0; i < 3; i++) await writeSwatch(path.join(dir, 'set', cls, `${cls}_${i}.png`), n++);
  }
  for (let i = 0; i < 4; i++) await writeSwatch(path.join(dir, 'set', `loose_${i}.png`), n++);
  mkdirSync(path.join(dir, 'more', 'plums'), { recursive: true });
  for (let i = 0; i < 2; i++) await writeSwatch(path.join(dir, 'more', 'plums', `plum_${i}.png`), n++);
  const page = await browser.newPage();
  await page.goto(url());
  before = await datasetIds(page);
  await api(page, 'datasets.import', { path: path.join(dir, 'set'), name: NAME });
  await page.close();
});

test.afterAll(({ browser }) => cleanUpSpec(browser, before, dir));

async function open(page: Page): Promise<void> {
  await page.goto(url());
  await page.locator('.dataset', { hasText: NAME }).click();
  await expect(page.locator('.shown')).toHaveText('10 images');
  await thumbnailsLoaded(page);
}

const classRow = (page: Page, name: string) => page.getByTestId('class-row').filter({ hasText: name });
const unlabeledTile = (page: Page) => page.locator('[data-image-id][data-class=""]').first();

test('labels and imports made from a terminal show in the open studio without a reload', async ({ page }, info) => {
  const problems = watch(page);
  await open(page);
  await expect(classRow(page, 'pears')).toContainText('3');
  const tile = unlabeledTile(page);
  const imageId = (await tile.getAttribute('data-image-id'))!;
  const index = (await tile.getAttribute('data-index'))!;

  await smallset('label', imageId, '--class', 'pears');
  // The library is checked for other processes' commits every second.
  const labeled = page.locator(`[data-index="${index}"]`);
  await expect(labeled).toHaveAttribute('data-class', 'pears', { timeout: 10_000 });
  await expect(labeled.locator('.label')).toHaveText('pears');
  await expect(classRow(page, 'pears')).toContainText('4');
  await expect(page.locator('.shown')).toHaveText('10 images');

  const { datasetId } = (await smallset('import', path.join(dir, 'more'), '--name', 'outside-import')) as { datasetId: number };
  await expect(page.locator('.dataset', { hasText: 'outside-import' })).toBeVisible({ timeout: 10_000 });
  await shot(page, info, 'outside-changes-cli');

  // The open dataset removed elsewhere (another tab, here): this one moves to another, quietly.
  await page.locator('.dataset', { hasText: 'outside-import' }).click();
  await expect(page.locator('.shown')).toHaveText('2 images');
  // Its first image's details loaded (hash shown), before the dataset goes.
  await expect(page.locator('.detail h3')).toHaveText(/^plum_/);
  await expect(page.locator('.detail dd.mono').first()).not.toHaveText('…');
  await api(page, 'datasets.remove', { datasetId });
  await expect(page.locator('.dataset', { hasText: 'outside-import' })).toHaveCount(0, { timeout: 10_000 });
  await expect(page.locator('.dataset.active')).toHaveCount(1);
  await expect(page.locator('.shown')).not.toHaveText('2 images');
  await expect(page.locator('[data-image-id]').first()).toBeVisible();
  // Past the grid's refresh of the dataset that is gone, which would fail with "not found".
  await page.waitForTimeout(1000);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('a label given in one tab shows in another, which keeps its focus and selection', async ({ page, context }) => {
  const problems = watch(page);
  await open(page);
  // This tab focuses a tile and selects two more; the other tab labels one of them.
  await page.locator('[data-index="1"]').click();
  await page.locator('[data-index="2"]').click({ modifiers: ['ControlOrMeta'] });
  await expect(page.locator('.tile.selected')).toHaveCount(2);
  const target = unlabeledTile(page);
  const imageId = (await target.getAttribute('data-image-id'))!;

  const other = await context.newPage();
  await open(other);
  await other.locator(`[data-image-id="${imageId}"]`).click();
  await other.keyboard.press('1');
  await expect(other.locator(`[data-image-id="${imageId}"]`)).toHaveAttribute('data-class', 'apples');

  await expect(page.locator(`[data-image-id="${imageId}"]`)).toHaveAttribute('data-class', 'apples');
  await expect(classRow(page, 'apples')).toContainText('4');
  await expect(page.locator('.tile.selected')).toHaveCount(2);
  await expect(page.locator('.tile.cursor')).toHaveAttribute('data-index', '2');
  await other.close();
  expect(problems).toEqual([]);
});

test('a run trained from a terminal shows live in the open studio, which says where to stop it, and ends there when it is stopped', async ({ page }, info) => {
  test.setTimeout(150_000);
  // The page's Cancel is refused (409, which the browser also logs): only the terminal's program can stop its run.
  const problems = watch(page, (p) => (p.includes('HTTP 409') && p.includes('train.cancel')) || p.includes('status of 409 (Conflict)'));
  await page.goto(url());
  // The first dataset open, its focused image's details loaded: the sample made anew below replaces any
  // older one, which must not be mid-request then.
  await thumbnailsLoaded(page);
  await expect(page.locator('.detail dd.mono').first()).not.toHaveText('…');
  const { datasetId } = await freshSample(page);
  await page.getByRole('button', { name: 'Train & compare' }).click();

  const cli = spawn(path.join(root, 'bin', 'smallset'), cliArgs(['train', String(datasetId), '--epochs', '1000', '--size', '32', '--batch-size', '8', '--seed', '3']), {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => cli.once('exit', resolve));
  try {
    // Epochs arrive as the other program logs them: the counts and the chart follow.
    const live = page.getByTestId('live-run');
    await expect(live.getByTestId('live-run-counts')).toContainText(/Epoch \d+ of 1000/, { timeout: 60_000 });
    await expect(live.getByTestId('live-run-counts')).toContainText(/left/);
    await expect(live.getByTestId('live-run-accuracy').locator('canvas')).toBeVisible();
    // Elsewhere in the studio, the top bar says something trains.
    await page.getByRole('button', { name: 'Library', exact: true }).click();
    await expect(page.getByTestId('training-badge')).toContainText('Training one model');
    await page.getByRole('button', { name: 'Train & compare' }).click();
    await shot(page, info, 'outside-train-live');

    await live.getByTestId('cancel-run').click();
    await expect(page.getByRole('alert')).toContainText('training in another program');
    await expect(live.getByTestId('cancel-run')).toBeEnabled();

    cli.kill('SIGINT');
    expect(await exited).toBe(130);
    await expect(live.getByTestId('status-pill')).toHaveText('Cancelled', { timeout: 20_000 });
    await expect(page.getByTestId('training-badge')).toHaveCount(0);
    await shot(page, info, 'outside-train-cancelled');
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'cancelled' } });
    expect(problems).toEqual([]);
  } finally {
    if (cli.exitCode === null) cli.kill('SIGKILL');
  }
});
