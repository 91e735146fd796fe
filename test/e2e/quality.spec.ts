import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { api, cleanUpSpec, datasetIds, shot, url, watch } from './helpers.js';

test.describe.configure({ mode: 'serial' });

const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-e2e-quality-'));
let before: number[] = [];

const TINTS: Record<string, [number, number, number]> = { red: [210, 50, 50], green: [50, 190, 60], blue: [60, 70, 220] };

/** A noisy tinted square: the class is the colour. */
async function tinted(rgb: [number, number, number], seed: number): Promise<Buffer> {
  const side = 24;
  const px = Buffer.alloc(side * side * 3);
  let s = seed;
  for (let i = 0; i < px.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    px[i] = Math.max(0, Math.min(255, rgb[i % 3]! + ((s >>> 16) % 81) - 40));
  }
  return sharp(px, { raw: { width: side, height: side, channels: 3 } }).png().toBuffer();
}

function save(rel: string, bytes: Buffer): void {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
}

test.beforeAll(async () => {
  for (const [name, rgb] of Object.entries(TINTS)) {
    for (let i = 0; i < 10; i++) {
      // Two labels planted wrong: a red square filed under green, a blue one under red.
      const folder = name === 'red' && i === 3 ? 'green' : name === 'blue' && i === 5 ? 'red' : name;
      save(`${i % 5 === 4 ? 'val' : 'train'}/${folder}/${name}-${i}.png`, await tinted(rgb, i * 13 + name.length));
    }
  }
  // A picture and its smaller re-encoded copy, one in train and one in val: a leak.
  const picture = await sharp({ create: { width: 96, height: 96, channels: 3, background: '#203040' } })
    .composite([
      { input: Buffer.from('<svg width="96" height="96"><circle cx="30" cy="40" r="22" fill="#e0b030"/><rect x="50" y="50" width="36" height="30" fill="#40a0e0"/></svg>') },
    ])
    .png()
    .toBuffer();
  save('train/blue/photo.png', picture);
  save('val/blue/photo-copy.jpg', await sharp(picture).resize(64).jpeg({ quality: 70 }).toBuffer());
});

test.afterAll(({ browser }) => cleanUpSpec(browser, before, dir));

test('quality view: fix a leaking split, drop a duplicate, review likely mislabels with the keyboard, harm-check a run', async ({ page }, info) => {
  test.setTimeout(180_000);
  await page.goto(url());
  before = await datasetIds(page);
  const { datasetId } = await api<{ datasetId: number }>(page, 'datasets.import', { path: dir, name: 'quality-e2e' });
  // Watched after the reload: it cuts short the calls the import's change events started.
  await page.reload();
  const problems = watch(page);
  await page.locator('.dataset', { hasText: 'quality-e2e' }).first().click();
  await page.getByRole('button', { name: 'Quality', exact: true }).click();

  const view = page.getByTestId('quality-view');
  await expect(view).toBeVisible();
  await expect(page.getByTestId('stat-leaks')).toContainText('1');
  const banner = page.getByTestId('leak-banner');
  await expect(banner).toContainText('1 near-duplicate group');
  const group = page.getByTestId('dup-group');
  await expect(group).toHaveCount(1);
  await expect(group.locator('img')).toHaveCount(2);
  await expect.poll(() => group.locator('img').evaluateAll((imgs) => imgs.every((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0))).toBe(true);
  await shot(page, info, 'quality-1-leak');
  // The threshold's value ends at the panel's right edge, like the buttons in the panel headers below it.
  type TextRange = { selectNodeContents(node: unknown): void; getBoundingClientRect(): { right: number } };
  const thresholdRight = await page.locator('.threshold .value').evaluate((el) => {
    const range = (globalThis as unknown as { document: { createRange(): TextRange } }).document.createRange();
    range.selectNodeContents(el);
    return range.getBoundingClientRect().right;
  });
  const buttonRight = await page.getByRole('button', { name: 'Find likely mislabels' }).evaluate((el) => el.getBoundingClientRect().right);
  expect(Math.abs(thresholdRight - buttonRight)).toBeLessThanOrEqual(2);

  await banner.getByRole('button', { name: 'Fix split' }).click();
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('stat-leaks')).toContainText('0');
  const splits = await api<{ groups: { members: { split: string }[] }[] }>(page, 'quality.duplicates', { datasetId });
  expect(new Set(splits.groups[0]!.members.map((m) => m.split)).size).toBe(1);

  const copy = group.getByRole('group', { name: /photo-copy/ });
  await copy.getByRole('button', { name: 'Drop' }).click();
  await expect(copy.getByRole('button', { name: 'Drop' })).toHaveAttribute('aria-pressed', 'true');
  const dropped = await api<{ total: number }>(page, 'images.query', { datasetId, excluded: true });
  expect(dropped.total).toBe(1);

  // Likely mislabels: k-fold training in the engine, then the review queue.
  await page.getByRole('button', { name: 'Find likely mislabels' }).click();
  const card = page.getByTestId('suspect');
  await expect(card).toBeVisible({ timeout: 120_000 });
  await shot(page, info, 'quality-2-suspect');
  const count = page.getByTestId('suspect-count');
  await expect(count).toHaveText(/^1 of \d+$/);
  const waiting = Number((await count.textContent())!.match(/of (\d+)/)![1]);
  const suggested = (await card.locator('.suggested').textContent())!.trim();
  const imagePath = (await card.locator('.path').textContent())!.trim();
  const relabel = page.waitForResponse((r) => r.url().endsWith('/api/call/quality.review') && r.ok());
  await page.keyboard.press('a');
  await relabel;
  if (waiting > 1) await expect(count).toHaveText(`2 of ${waiting}`);
  else await expect(card).toHaveCount(0);
  const images = await api<{ images: { relPath: string; className: string }[] }>(page, 'images.query', { datasetId, text: imagePath, limit: 5 });
  expect(images.images.find((i) => i.relPath === imagePath)?.className).toBe(suggested);

  // No run yet: the harm check says what it needs and leads to where it is trained.
  await page.getByTestId('harm-go-train').click();
  await expect(page.getByRole('complementary', { name: 'Comparison settings' })).toBeVisible();

  // Harm check on a quickly trained run.
  const { runId } = await api<{ runId: string }>(page, 'train.start', { datasetId, size: 16, epochs: 4, batchSize: 8, filters: [8, 16], seed: 1 });
  await expect.poll(async () => (await api<{ status: string }>(page, 'runs.get', { runId })).status, { timeout: 90_000 }).toBe('done');
  await page.getByRole('button', { name: 'Library', exact: true }).click();
  await page.getByRole('button', { name: 'Quality', exact: true }).click();
  const harm = page.getByTestId('harm');
  await harm.getByRole('button', { name: 'Check' }).click();
  const table = page.getByTestId('harm-table');
  await expect(table).toBeVisible({ timeout: 60_000 });
  await expect(table.locator('tbody tr')).toHaveCount(5);
  await expect(table).toContainText('vflip');
  await table.scrollIntoViewIfNeeded();
  await shot(page, info, 'quality-3-harm-light');
  // In a 900 px window each accuracy ("71% (+8 pts)") stays on one line.
  await page.setViewportSize({ width: 900, height: 700 });
  for (const cell of await table.locator('td.accuracy').all()) {
    const [box, delta] = [(await cell.boundingBox())!, (await cell.locator('.muted').boundingBox())!];
    expect(delta.height).toBeLessThan(24);
    expect(delta.y - box.y).toBeLessThan(12);
  }
  // Every cell of a row ends on the same line, so the row borders run straight across.
  for (const row of await table.locator('tbody tr').all()) {
    const bottoms = await row.locator('td').evaluateAll((tds) => tds.map((td) => Math.round(td.getBoundingClientRect().bottom)));
    expect(new Set(bottoms).size, `cell bottoms ${bottoms.join(', ')}`).toBe(1);
  }
  await table.scrollIntoViewIfNeeded();
  await shot(page, info, 'quality-3b-harm-900');
  await page.setViewportSize({ width: 1360, height: 860 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, info, 'quality-4-harm-dark');
  await view.evaluate((el) => el.scrollTo(0, 0));
  await shot(page, info, 'quality-5-top-dark');

  expect(problems).toEqual([]);
});
