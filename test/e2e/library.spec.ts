import { expect, test } from '@playwright/test';
import { datasetIds, forgetDatasetsAddedSince, shot, thumbnailsLoaded, url, watch } from './helpers.js';

test.describe.configure({ mode: 'serial' });

test('first run: create the sample, label an image with the keyboard, undo, and the label survives a reload', async ({ page }, info) => {
  const problems = watch(page);
  await page.goto(url());
  // The token is traded for a cookie and leaves the address bar.
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { name: 'Bring in a folder of images' })).toBeVisible();
  await shot(page, info, '1-first-run');

  await page.getByTestId('create-sample').click();
  const tiles = page.locator('[data-image-id]');
  await expect(tiles.first()).toBeVisible();
  const classRows = page.getByTestId('class-row');
  await expect(classRows).toHaveCount(4);
  await thumbnailsLoaded(page);
  await shot(page, info, '2-sample-imported');

  const names = (await classRows.locator('.name').allTextContents()).map((n) => n.trim());
  const first = tiles.first();
  const imageId = await first.getAttribute('data-image-id');
  const before = await first.getAttribute('data-class');
  const target = names.findIndex((n) => n !== before);
  expect(target).toBeGreaterThanOrEqual(0);
  const tile = page.locator(`[data-image-id="${imageId}"]`);

  await first.click();
  await expect(page.getByTestId('detail-class')).toBeVisible();
  let labeled = page.waitForResponse((r) => r.url().endsWith('/api/call/images.label') && r.ok());
  await page.keyboard.press(String(target + 1));
  await labeled;
  await expect(tile).toHaveAttribute('data-class', names[target]!);

  // Ctrl-Z puts the old label back…
  const restored = page.waitForResponse((r) => r.url().endsWith('/api/call/images.restoreLabels') && r.ok());
  await page.keyboard.press('Control+z');
  await restored;
  await expect(tile).toHaveAttribute('data-class', before ?? '');

  // …and labeling again sticks.
  await tile.click();
  labeled = page.waitForResponse((r) => r.url().endsWith('/api/call/images.label') && r.ok());
  await page.keyboard.press(String(target + 1));
  await labeled;
  await expect(tile).toHaveAttribute('data-class', names[target]!);
  await shot(page, info, '3-labeled');

  await page.reload();
  await expect(page.locator(`[data-image-id="${imageId}"]`)).toHaveAttribute('data-class', names[target]!);
  await thumbnailsLoaded(page);
  await shot(page, info, '4-after-reload');

  expect(problems).toEqual([]);
});

test('filters, a new class, the train view, and the dark theme', async ({ page }, info) => {
  const problems = watch(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(url());
  await expect(page.locator('[data-image-id]').first()).toBeVisible();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.locator('[data-image-id]').first()).toBeVisible();
  const total = Number((await page.locator('.shown').textContent())?.replace(/\D/g, ''));
  await page.getByRole('button', { name: 'Val', exact: true }).click();
  await expect(page.locator('.shown')).not.toHaveText(`${total} images`);
  await page.getByRole('button', { name: 'All', exact: true }).click();
  await page.getByLabel('Filter by file name').fill('no-such-file');
  await expect(page.getByText('No images match these filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.locator('[data-image-id]').first()).toBeVisible();
  await thumbnailsLoaded(page);
  await shot(page, info, '5-dark');

  await page.getByRole('button', { name: 'New class' }).click();
  await page.getByLabel('New class name').fill('blobs');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('class-row').filter({ hasText: 'blobs' })).toContainText('5');
  await expect(page.getByText('Class “blobs” created.')).toBeVisible();
  await shot(page, info, '5b-new-class');

  await page.getByRole('button', { name: 'Train & compare' }).click();
  await expect(page.getByTestId('train-button')).toBeVisible();
  await shot(page, info, '6-train-view');
  expect(problems).toEqual([]);
});

test('a 900 px window: the top bar buttons keep only their icons (named, with tooltips) and the name filter keeps room for its placeholder; at 1280 px the buttons read in full', async ({ page }, info) => {
  const problems = watch(page);
  await page.setViewportSize({ width: 900, height: 700 });
  await page.goto(url());
  await expect(page.locator('[data-image-id]').first()).toBeVisible();
  const top = page.locator('header.topbar');
  const buttons = ['Rescan', 'Remove', 'Import folder'].map((name) => top.getByRole('button', { name, exact: true }));
  for (const button of buttons) {
    await expect(button).toBeVisible();
    await expect(button.locator('.label')).toBeHidden();
    await expect(button).toHaveAttribute('title', /^(Rescan|Remove|Import folder): \w/);
    const box = (await button.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(30);
  }
  // One row: the top bar keeps its height and the dataset's name is not cut.
  expect((await top.boundingBox())!.height).toBeLessThanOrEqual(49);
  const title = top.getByRole('heading', { level: 1 });
  expect(await title.evaluate((h) => h.scrollWidth <= h.clientWidth)).toBe(true);
  // The filter field shows its whole placeholder, on the same line as the split buttons and the count.
  const field = page.getByLabel('Filter by file name');
  expect((await field.boundingBox())!.width).toBeGreaterThanOrEqual(160);
  const bar = page.locator('.filters');
  const rowTops = await bar.evaluate((el) => [...el.children].map((c) => Math.round(c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2)));
  expect(Math.max(...rowTops) - Math.min(...rowTops)).toBeLessThanOrEqual(2);
  await expect(page.getByRole('button', { name: /^Errors/ })).toBeVisible();
  await shot(page, info, '6b-narrow-library');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, info, '6c-narrow-library-dark');

  await page.setViewportSize({ width: 1280, height: 800 });
  for (const button of buttons) await expect(button.locator('.label')).toBeVisible();
  await expect(buttons[2]!).toHaveText('Import folder');
  await shot(page, info, '6d-library-1280-dark');
  expect(problems).toEqual([]);
});

test('importing a folder that does not exist says so, naming the folder', async ({ page }, info) => {
  const problems = watch(page, (p) => /datasets\.import|status of 4\d\d/.test(p));
  await page.goto(url());
  await page.getByRole('button', { name: 'Import folder' }).click();
  await page.getByTestId('import-path').fill('/no/such/folder');
  await shot(page, info, '7-import-dialog');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('/no/such/folder');
  await shot(page, info, '8-import-error');
  expect(problems).toEqual([]);
});

test('a large folder: progress with cancel, then a virtualized grid that pages in as it scrolls', async ({ page }, info) => {
  const sharp = (await import('sharp')).default;
  const { mkdirSync, mkdtempSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-e2e-large-'));
  const perClass = 400;
  const classes = ['apples', 'bananas', 'cherries'];
  let before: number[] | null = null;
  try {
    for (const [c, name] of classes.entries()) {
      mkdirSync(path.join(dir, name));
      for (let i = 0; i < perClass; i++) {
        // Distinct pixels per file: the library would fold identical files into one.
        const color = { r: i % 256, g: Math.floor(i / 256) * 60 + 20, b: c * 100 + 20 };
        await sharp({ create: { width: 40, height: 40, channels: 3, background: color } })
          .png()
          .toFile(path.join(dir, name, `${name}_${String(i).padStart(4, '0')}.png`));
      }
    }
    const total = perClass * classes.length;
    // The cancelled import answers 409 {code: 'cancelled'}, which the browser logs; nothing else may fail.
    const problems = watch(page, (p) => /^HTTP 409: POST .*\/datasets\.import$|status of 409 \(Conflict\)/.test(p));
    await page.goto(url());
    before = await datasetIds(page);
    await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Import a folder', exact: true })).toBeEnabled();
    const datasetsBefore = await page.locator('.dataset').count();

    const startImport = async () => {
      await page.getByRole('button', { name: 'Import a folder', exact: true }).click();
      await page.getByTestId('import-path').fill(dir);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
    };
    await startImport();
    const progress = page.getByTestId('job-progress');
    await expect(progress).toBeVisible();
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByText('Import cancelled; the library is unchanged.')).toBeVisible();
    await expect(page.locator('.dataset')).toHaveCount(datasetsBefore);

    await startImport();
    await expect(progress.getByRole('progressbar')).toBeVisible();
    await shot(page, info, '9-import-progress');
    await expect(page.locator('.shown')).toHaveText(`${total.toLocaleString('en-US')} images`, { timeout: 60_000 });
    await expect(page.locator('.dataset')).toHaveCount(datasetsBefore + 1);
    // Only the rows in view exist in the page, not 1 200 tiles.
    expect(await page.locator('[data-image-id]').count()).toBeLessThan(150);
    await page.getByTestId('grid').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(page.locator(`[data-index="${total - 1}"]`)).toBeVisible();
    await expect(page.locator(`[data-index="${total - 1}"]`)).toHaveAttribute('data-class', 'cherries');
    expect(await page.locator('[data-image-id]').count()).toBeLessThan(150);
    await thumbnailsLoaded(page);
    await shot(page, info, '10-large-scrolled');

    // Arrow keys walk the grid and keep the cursor in view.
    await page.locator(`[data-index="${total - 1}"]`).click();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
    await expect(page.locator('[data-index].cursor')).toBeVisible();
    expect(problems).toEqual([]);
  } finally {
    // Its folder goes with the test, so the dataset goes too: later specs would show its missing files.
    if (before) await forgetDatasetsAddedSince(page, before);
    rmSync(dir, { recursive: true, force: true });
  }
});
