import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { api, cleanUpSpec, datasetIds, shot, url, watch } from './helpers.js';

test.describe.configure({ mode: 'serial' });

const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-e2e-review-'));
const NAME = 'review-e2e';
let before: number[] = [];

const TINTS: Record<string, [number, number, number]> = { red: [210, 50, 50], green: [50, 190, 60], blue: [60, 70, 220] };
/** Planted flips: a red square filed under green, a green one under blue, a blue one under red. */
const FLIPS: Record<string, string> = { 'red-3': 'green', 'green-6': 'blue', 'blue-5': 'red' };

/** A noisy tinted square: the class is the colour. */
async function tinted(rgb: [number, number, number], seed: number): Promise<Buffer> {
  const side = 24;
  const px = Buffer.alloc(side * side * 3);
  let s = seed;
  for (let i = 0; i < px.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    px[i] = Math.max(0, Math.min(255, rgb[i % 3]! + ((s >>> 16) % 61) - 30));
  }
  return sharp(px, { raw: { width: side, height: side, channels: 3 } }).png().toBuffer();
}

test.beforeAll(async () => {
  for (const [name, rgb] of Object.entries(TINTS)) {
    for (let i = 0; i < 12; i++) {
      const file = path.join(dir, FLIPS[`${name}-${i}`] ?? name, `${name}-${i}.png`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, await tinted(rgb, i * 7 + name.length));
    }
  }
});

test.afterAll(({ browser }) => cleanUpSpec(browser, before, dir));

type SuspectRow = { imageId: number; relPath: string; given: string; suggested: string; status: string };
const suspects = async (page: Page, datasetId: number) => (await api<{ suspects: SuspectRow[] }>(page, 'quality.suspects', { datasetId })).suspects;
const classOf = async (page: Page, imageId: number) => (await api<{ className: string | null }>(page, 'images.get', { imageId })).className;
const reviewed = (page: Page) => page.waitForResponse((r) => r.url().endsWith('/api/call/quality.review') && r.ok());

test('review likely mislabels from the labeling view: accept with a key, keep, undo both, and the label stays after a reload', async ({ page }, info) => {
  test.setTimeout(150_000);
  await page.goto(url());
  before = await datasetIds(page);
  const { datasetId } = await api<{ datasetId: number }>(page, 'datasets.import', { path: dir, name: NAME });
  // Watched after the reload: it cuts short the calls the import's change events started.
  await page.reload();
  const problems = watch(page);
  await page.locator('.dataset', { hasText: NAME }).first().click();
  await page.getByRole('button', { name: 'Library', exact: true }).click();

  // Before any check: the review says what to do and offers to start it.
  await page.getByTestId('start-review').click();
  const empty = page.getByTestId('review-empty');
  await expect(empty).toContainText('Run the mislabel check first');
  await expect(empty.getByRole('button', { name: 'Find likely mislabels' })).toBeEnabled();
  await shot(page, info, 'review-1-empty-light');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('grid')).toBeVisible();

  // The check itself, small and quick (the Quality view's spec runs it from its button).
  const found = await api<{ suspects: number }>(page, 'quality.findMislabels', { datasetId, folds: 3, epochs: 12, size: 8, model: 'mlp', seed: 1 });
  expect(found.suspects).toBeGreaterThanOrEqual(2);
  const ranked = await suspects(page, datasetId);
  const planted = ranked.filter((s) => FLIPS[path.basename(s.relPath, '.png')] === s.given);
  expect(planted.length, JSON.stringify(ranked)).toBeGreaterThanOrEqual(2);

  await page.getByTestId('start-review').click();
  const mode = page.getByTestId('review-mode');
  const progress = page.getByTestId('review-progress');
  await expect(progress).toHaveText(`1 of ${ranked.length}`);
  const first = ranked[0]!;
  const second = ranked[1]!;
  await expect(page.getByTestId('review-path')).toHaveText(first.relPath);
  await expect(mode.getByTestId('suspect-labels')).toContainText(first.given);
  await expect(mode.getByTestId('suspect-labels')).toContainText(first.suggested);
  await expect.poll(() => page.getByTestId('review-image').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
  await shot(page, info, 'review-2-suspect-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, info, 'review-3-suspect-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // A accepts the suggestion, K keeps the next one's label.
  let answer = reviewed(page);
  await page.keyboard.press('a');
  await answer;
  await expect(progress).toHaveText(`2 of ${ranked.length}`);
  await expect(page.getByTestId('review-path')).toHaveText(second.relPath);
  expect(await classOf(page, first.imageId)).toBe(first.suggested);
  answer = reviewed(page);
  await page.keyboard.press('k');
  await answer;
  if (ranked.length > 2) await expect(progress).toHaveText(`3 of ${ranked.length}`);
  else await expect(page.getByTestId('review-done')).toBeVisible();

  // Ctrl-Z takes back the keep, then the relabel: the image gets its given label back.
  answer = reviewed(page);
  await page.keyboard.press('Control+z');
  await answer;
  await expect(progress).toHaveText(`2 of ${ranked.length}`);
  await expect(page.getByTestId('review-path')).toHaveText(second.relPath);
  answer = reviewed(page);
  await page.keyboard.press('Control+z');
  await answer;
  await expect(progress).toHaveText(`1 of ${ranked.length}`);
  expect(await classOf(page, first.imageId)).toBe(first.given);
  expect((await suspects(page, datasetId)).slice(0, 2).map((s) => s.status)).toEqual(['open', 'open']);

  // 1–9 give the nth class, as in the grid: a class that is neither the label nor the suggestion relabels and moves on; undo puts the label back.
  await expect(mode.getByTestId('review-keys')).toContainText('1–9 give that class');
  const { classes } = await api<{ classes: { name: string }[] }>(page, 'classes.list', { datasetId });
  const third = classes.findIndex((c) => c.name !== first.given && c.name !== first.suggested);
  answer = reviewed(page);
  await page.keyboard.press(String(third + 1));
  await answer;
  await expect(progress).toHaveText(`2 of ${ranked.length}`);
  expect(await classOf(page, first.imageId)).toBe(classes[third]!.name);
  expect((await suspects(page, datasetId)).find((s) => s.imageId === first.imageId)?.status).toBe('accepted');
  answer = reviewed(page);
  await page.keyboard.press('Control+z');
  await answer;
  await expect(progress).toHaveText(`1 of ${ranked.length}`);
  await expect.poll(() => classOf(page, first.imageId)).toBe(first.given);
  // The number of its own class keeps the label.
  answer = reviewed(page);
  await page.keyboard.press(String(classes.findIndex((c) => c.name === first.given) + 1));
  await answer;
  expect((await suspects(page, datasetId)).find((s) => s.imageId === first.imageId)?.status).toBe('kept');
  answer = reviewed(page);
  await page.keyboard.press('Control+z');
  await answer;
  await expect(progress).toHaveText(`1 of ${ranked.length}`);

  // Decide again, this time with Enter and the Keep button.
  answer = reviewed(page);
  await page.keyboard.press('Enter');
  await answer;
  answer = reviewed(page);
  await mode.getByRole('button', { name: 'Keep label' }).click();
  await answer;
  // S skips the rest: the review ends with what happened.
  for (let i = 2; i < ranked.length; i++) {
    answer = reviewed(page);
    await page.keyboard.press('s');
    await answer;
  }
  const done = page.getByTestId('review-done');
  await expect(done).toContainText(`1 relabeled, 1 kept, ${ranked.length - 2} skipped`);
  await shot(page, info, 'review-4-done-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, info, 'review-5-done-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // After a reload the relabel and the keep are still there; the grid shows the new label.
  await page.reload();
  await page.locator('.dataset', { hasText: NAME }).first().click();
  expect(await classOf(page, first.imageId)).toBe(first.suggested);
  const statuses = new Map((await suspects(page, datasetId)).map((s) => [s.imageId, s.status]));
  expect([statuses.get(first.imageId), statuses.get(second.imageId)]).toEqual(['accepted', 'kept']);
  await expect(page.locator(`[data-image-id="${first.imageId}"]`)).toHaveAttribute('data-class', first.suggested);
  // A new walk goes through the skipped ones only.
  if (ranked.length > 2) await expect(page.getByTestId('start-review')).toContainText(String(ranked.length - 2));
  await page.getByTestId('start-review').click();
  if (ranked.length > 2) {
    await expect(progress).toHaveText(`1 of ${ranked.length - 2}`);
    await expect(page.getByTestId('review-path')).not.toHaveText(first.relPath);
  } else {
    await expect(page.getByTestId('review-empty')).toContainText('Every likely mislabel is reviewed');
  }
  await page.getByRole('button', { name: /Back to the grid/ }).first().click();
  await expect(page.getByTestId('grid')).toBeVisible();

  expect(problems).toEqual([]);
});
