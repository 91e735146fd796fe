import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { api, cleanUpSpec, datasetIds, shot, thumbnailsLoaded, url, watch, writeSwatch } from './helpers.js';

test.describe.configure({ mode: 'serial' });

const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-e2e-labeling-'));
const NAME = 'labeling-e2e';
let before: number[] = [];
let datasetId = 0;

test.beforeAll(async ({ browser }) => {
  let n = 0;
  for (const cls of ['apples', 'pears']) {
    mkdirSync(path.join(dir, cls));
    for (let i = 0; i < 4; i++) await writeSwatch(path.join(dir, cls, `${cls}_${i}.png`), n++);
  }
  // Files at the top level import unlabeled; one of them is not an image at all.
  for (let i = 0; i < 5; i++) await writeSwatch(path.join(dir, `loose_${i}.png`), n++);
  writeFileSync(path.join(dir, 'loose_broken.png'), 'this is not a png');
  const page = await browser.newPage();
  await page.goto(url());
  before = await datasetIds(page);
  datasetId = (await api<{ datasetId: number }>(page, 'datasets.import', { path: dir, name: NAME })).datasetId;
  await page.close();
});

test.afterAll(({ browser }) => cleanUpSpec(browser, before, dir));

async function open(page: Page): Promise<void> {
  await page.goto(url());
  await page.locator('.dataset', { hasText: NAME }).click();
  await expect(page.getByTestId('class-row')).toHaveCount(2);
  await expect(page.locator('.shown')).toHaveText('14 images');
  await thumbnailsLoaded(page);
}

const tile = (page: Page, index: number) => page.locator(`[data-index="${index}"]`);
const classRow = (page: Page, name: string) => page.getByTestId('class-row').filter({ hasText: name });
/** data-class by data-index of the tiles on screen (import order decides where each file lands). */
async function classesByIndex(page: Page): Promise<Map<number, string>> {
  const pairs = await page.locator('[data-index]').evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-index')), e.getAttribute('data-class') ?? ''] as const));
  return new Map(pairs);
}
const indexWith = (classes: Map<number, string>, cls: string, skip = 0): number => [...classes].filter(([, c]) => c === cls).map(([i]) => i)[skip]!;
const labeled = (page: Page) => page.waitForResponse((r) => r.url().endsWith('/api/call/images.label') && r.ok());

test('multi-select with shift, ctrl and the keyboard, then one key labels them all', async ({ page }, info) => {
  const problems = watch(page);
  await open(page);
  await shot(page, info, 'labeling-1-open');

  const before = await classesByIndex(page);
  const a = indexWith(before, 'apples');
  const u = Math.min(indexWith(before, ''), 12);
  const picked = [a, a + 1, a + 2, u, u + 1];
  // Shift-click takes the range from the cursor.
  await tile(page, a).click();
  await tile(page, a + 2).click({ modifiers: ['Shift'] });
  await expect(page.locator('.tile.selected')).toHaveCount(3);
  // Ctrl-click adds one more; Shift+→ extends from the cursor.
  await tile(page, u).click({ modifiers: ['Control'] });
  await page.keyboard.press('Shift+ArrowRight');
  await expect(page.locator('.tile.selected')).toHaveCount(5);
  await expect(page.getByText('5 images selected')).toBeVisible();
  await shot(page, info, 'labeling-2-selected');

  const done = labeled(page);
  await page.keyboard.press('2');
  await done;
  for (const i of picked) await expect(tile(page, i)).toHaveAttribute('data-class', 'pears');
  await expect(classRow(page, 'pears')).toContainText(String(4 + picked.filter((i) => before.get(i) !== 'pears').length));

  // Ctrl-A selects everything loaded; Escape lets go.
  await page.keyboard.press('Control+a');
  await expect(page.locator('.tile.selected')).toHaveCount(14);
  await page.keyboard.press('Escape');
  await expect(page.locator('.tile.selected')).toHaveCount(0);

  // Undo puts the five labels back at once.
  const restored = page.waitForResponse((r) => r.url().endsWith('/api/call/images.restoreLabels') && r.ok());
  await page.keyboard.press('Control+z');
  await restored;
  for (const i of picked) await expect(tile(page, i)).toHaveAttribute('data-class', before.get(i)!);
  expect(problems).toEqual([]);
});

test('classes: create with a colour, rename, recolour, merge and delete', async ({ page }, info) => {
  const problems = watch(page);
  await open(page);

  await page.getByRole('button', { name: 'New class' }).click();
  // A name that is taken is caught while typing, not refused after Add.
  await page.getByLabel('New class name').fill('apples');
  await expect(page.getByRole('alert').filter({ hasText: '“apples” is already a class here.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add', exact: true })).toBeDisabled();
  await page.getByLabel('New class name').fill('quinces');
  await page.getByLabel('New class colour').fill('#3366cc');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(classRow(page, 'quinces')).toHaveAttribute('data-color', '#3366cc');

  // Label two loose images quinces (the third class, key 3).
  const classes = await classesByIndex(page);
  const [u1, u2, u3] = [indexWith(classes, ''), indexWith(classes, '', 1), indexWith(classes, '', 2)];
  await tile(page, u1).click();
  await tile(page, u2).click({ modifiers: ['Control'] });
  const done = labeled(page);
  await page.keyboard.press('3');
  await done;
  await expect(classRow(page, 'quinces')).toContainText('2');

  await classRow(page, 'quinces').hover();
  await page.getByRole('button', { name: 'Edit class quinces' }).click();
  const editor = page.getByRole('form', { name: 'Edit class quinces' });
  // Escape closes the editor from anywhere in it, not only the name field; the grid keeps its selection and the pencil gets the focus back.
  await editor.getByRole('radio', { name: 'Colour #e15759' }).focus();
  await page.keyboard.press('Escape');
  await expect(editor).toBeHidden();
  await expect(page.getByRole('button', { name: 'Edit class quinces' })).toBeFocused();
  await expect(tile(page, u2)).toHaveClass(/\bselected\b/);
  await page.getByRole('button', { name: 'Edit class quinces' }).click();
  await editor.getByLabel('Class name').fill('apples');
  await expect(editor.getByRole('alert')).toContainText('merge into it below');
  await expect(editor.getByRole('button', { name: 'Save' })).toBeDisabled();
  await editor.getByLabel('Class name').fill('plums');
  await editor.getByRole('radio', { name: 'Colour #e15759' }).click();
  await shot(page, info, 'labeling-3-class-editor');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(classRow(page, 'plums')).toHaveAttribute('data-color', '#e15759');
  await expect(page.getByText('Class “quinces” is now “plums”.')).toBeVisible();
  await expect(tile(page, u1)).toHaveAttribute('data-class', 'plums');

  // Merge plums into pears: its two images move, the class goes.
  await classRow(page, 'plums').hover();
  await page.getByRole('button', { name: 'Edit class plums' }).click();
  const editor2 = page.getByRole('form', { name: 'Edit class plums' });
  await editor2.getByLabel('Merge into').selectOption({ label: 'pears' });
  await editor2.getByRole('button', { name: 'Merge', exact: true }).click();
  await expect(page.getByRole('alertdialog', { name: 'Confirm merge' })).toContainText('Move 2 images from “plums” into “pears”');
  await shot(page, info, 'labeling-4-merge-confirm');
  // Escape in the question steps back to the editor; the next one closes it.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('alertdialog', { name: 'Confirm merge' })).toBeHidden();
  await expect(editor2).toBeVisible();
  await editor2.getByRole('button', { name: 'Merge', exact: true }).click();
  await page.getByRole('button', { name: 'Merge classes' }).click();
  await expect(page.getByTestId('class-row')).toHaveCount(2);
  await expect(classRow(page, 'pears')).toContainText('6');
  await expect(tile(page, u2)).toHaveAttribute('data-class', 'pears');

  // A throwaway class, deleted: its image becomes unlabeled.
  await page.getByRole('button', { name: 'New class' }).click();
  await page.getByLabel('New class name').fill('temp');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await tile(page, u3).click();
  const done2 = labeled(page);
  await page.keyboard.press('3');
  await done2;
  await classRow(page, 'temp').hover();
  await page.getByRole('button', { name: 'Edit class temp' }).click();
  await page.getByRole('button', { name: 'Delete class…' }).click();
  await page.getByRole('button', { name: 'Delete class', exact: true }).click();
  await expect(page.getByTestId('class-row')).toHaveCount(2);
  await expect(tile(page, u3)).toHaveAttribute('data-class', '');
  await shot(page, info, 'labeling-5-classes');
  expect(problems).toEqual([]);
});

test('the unlabeled queue jumps to the next unlabeled image; Backspace unlabels', async ({ page }, info) => {
  const problems = watch(page);
  await open(page);
  const start = page.getByRole('button', { name: /^Label \d+ unlabeled images?$/ });
  const unlabeled = Number(((await start.textContent()) ?? '').replace(/\D/g, ''));
  expect(unlabeled).toBeGreaterThan(1);
  await start.click();
  const banner = page.getByTestId('queue-banner');
  await expect(banner).toContainText(`${unlabeled} left`);
  await expect(page.locator('.shown')).toHaveText(`${unlabeled} images`);
  await shot(page, info, 'labeling-6-queue');
  // In a 900 px window the banner's text wraps, but "N left" and its button stay whole.
  await page.setViewportSize({ width: 900, height: 700 });
  expect((await banner.locator('.left').boundingBox())!.height).toBeLessThan(24);
  expect(await banner.getByRole('button', { name: 'Leave queue' }).evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  await shot(page, info, 'labeling-6b-queue-900');
  await page.setViewportSize({ width: 1360, height: 860 });

  // The broken file sorts among the loose ones; labels go to whatever is up next.
  for (let left = unlabeled; left > 1; left--) {
    const current = page.locator('.tile.cursor');
    await expect(current).toHaveAttribute('data-class', '');
    const id = await current.getAttribute('data-image-id');
    const done = labeled(page);
    await page.keyboard.press('1');
    await done;
    await expect(page.locator(`[data-image-id="${id}"]`)).toHaveAttribute('data-class', 'apples');
    await expect(banner).toContainText(`${left - 1} left`);
    await expect(page.locator('.tile.cursor')).not.toHaveAttribute('data-image-id', id!);
  }
  const done = labeled(page);
  await page.keyboard.press('2');
  await done;
  await expect(page.getByText('Every image has a label.')).toBeVisible();
  await shot(page, info, 'labeling-7-queue-done');
  await page.getByRole('button', { name: 'Show all images' }).click();
  await expect(page.locator('.shown')).toHaveText('14 images');

  // Backspace takes a label off again.
  await tile(page, 0).click();
  const off = labeled(page);
  await page.keyboard.press('Backspace');
  await off;
  await expect(tile(page, 0)).toHaveAttribute('data-class', '');
  expect(problems).toEqual([]);
});

test('errors filter and detail, rescan with new files, rename the dataset, theme and last view remembered', async ({ page }, info) => {
  const problems = watch(page);
  await open(page);

  await page.getByRole('button', { name: /Errors/ }).click();
  await expect(page.locator('.shown')).toHaveText('1 image');
  await tile(page, 0).click();
  await expect(page.getByRole('alert').filter({ hasText: 'This image could not be read' })).toBeVisible();
  await shot(page, info, 'labeling-8-error-detail');
  await page.getByRole('button', { name: /Errors/ }).click();

  await writeSwatch(path.join(dir, 'apples', 'apples_new.png'), 99);
  await page.getByRole('button', { name: 'Rescan' }).click();
  await expect(page.getByText('Rescan: 1 added, 0 removed, 0 changed, 0 moved.')).toBeVisible();
  await expect(page.locator('.shown')).toHaveText('15 images');

  await page.locator('.item', { hasText: NAME }).hover();
  await page.getByRole('button', { name: `Rename or remove ${NAME}` }).click();
  // Escape from anywhere in the editor: first takes back the remove question, then closes it.
  const datasetEditor = page.getByRole('form', { name: `Rename or remove ${NAME}` });
  await datasetEditor.getByRole('button', { name: 'Remove…' }).click();
  await expect(datasetEditor.getByRole('alert')).toContainText('Forget');
  await page.keyboard.press('Escape');
  await expect(datasetEditor.getByRole('alert')).toBeHidden();
  await expect(datasetEditor.getByLabel('Dataset name')).toBeFocused();
  await datasetEditor.getByRole('button', { name: 'Rename', exact: true }).focus();
  await page.keyboard.press('Escape');
  await expect(datasetEditor).toBeHidden();
  await expect(page.getByRole('button', { name: `Rename or remove ${NAME}` })).toBeFocused();
  await page.getByRole('button', { name: `Rename or remove ${NAME}` }).click();
  await page.getByLabel('Dataset name').fill(`${NAME} renamed`);
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(page.locator('.dataset', { hasText: `${NAME} renamed` })).toBeVisible();
  const { datasets } = await api<{ datasets: { id: number; name: string }[] }>(page, 'datasets.list');
  expect(datasets.find((d) => d.id === datasetId)?.name).toBe(`${NAME} renamed`);
  // Back, so the other tests find it by name.
  await api(page, 'datasets.rename', { datasetId, name: NAME });

  // The dark theme by choice, whatever the system says, and it is remembered with the view.
  await page.getByRole('radio', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await thumbnailsLoaded(page);
  await shot(page, info, 'labeling-9-dark');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('button', { name: 'Export', exact: true }).first()).toHaveAttribute('aria-current', 'page');
  await page.getByRole('radio', { name: 'Follow the system theme' }).click();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  expect(problems).toEqual([]);
});
