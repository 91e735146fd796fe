import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { api, cleanUpSpec, datasetIds, shot, url, watch } from './helpers.js';

test.describe.configure({ mode: 'serial' });

let before: number[] = [];
const outRoot = mkdtempSync(path.join(os.tmpdir(), 'smallset-e2e-export-'));

test.afterAll(({ browser }) => cleanUpSpec(browser, before, outRoot));

function countFiles(dir: string, ext: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += countFiles(path.join(dir, e.name), ext);
    else if (e.name.endsWith(ext)) n++;
  }
  return n;
}

test('export wizard: the sample dataset augmented, with progress, cancel, a summary and replace-if-not-empty', async ({ page }, info) => {
  // A cancelled export answers 409 {code: 'cancelled'}, as does the not-empty destination; the browser logs both.
  const problems = watch(page, (p) => /^HTTP 409: POST .*\/export\.dataset$|status of 409 \(Conflict\)/.test(p));
  await page.goto(url());
  before = await datasetIds(page);
  if (before.length === 0) {
    // No dataset yet: the first step says so once, in its body, with the ways to get one (not again beside Next).
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const empty = page.getByTestId('export-empty');
    await expect(empty).toContainText('No dataset to export yet');
    await expect(empty.getByRole('button', { name: 'Import a folder…' })).toBeEnabled();
    await expect(empty.getByRole('button', { name: 'Try the sample dataset' })).toBeEnabled();
    await expect(page.getByTestId('export-blocker')).toHaveText('');
    await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
    await shot(page, info, 'export-0-empty');
    // A pipeline needs no dataset: Next is open for it.
    await page.getByRole('radio', { name: /Pipeline/ }).click();
    await expect(page.getByRole('button', { name: 'Next' })).toBeEnabled();
    await page.getByRole('radio', { name: /Augmented dataset/ }).click();
    await empty.getByRole('button', { name: 'Try the sample dataset' }).click();
    await expect(page.locator('.dataset', { hasText: 'Sample shapes' })).toBeVisible();
  }
  // Another spec may have made the sample already; it is made once per library.
  const { datasets } = await api<{ datasets: { id: number; name: string }[] }>(page, 'datasets.list');
  const sampleId = datasets.find((d) => d.name === 'Sample shapes')?.id ?? (await api<{ datasetId: number }>(page, 'datasets.createSample')).datasetId;
  await page.reload();
  await page.locator('.dataset', { hasText: 'Sample shapes' }).first().click();

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('radio', { name: /Augmented dataset/ })).toHaveAttribute('aria-checked', 'true');
  await page.getByLabel('Dataset', { exact: true }).selectOption(String(sampleId));
  await shot(page, info, 'export-1-what');
  await page.getByRole('button', { name: 'Next' }).click();

  // Options: many copies first, so the export runs long enough to watch and cancel.
  await page.getByLabel('Copies per image').fill('40');
  await page.getByLabel('Resize', { exact: true }).check();
  await page.getByLabel('Output size in pixels').fill('24');
  await expect(page.getByTestId('export-estimate')).toContainText('files');
  const estimate = /About ([\d,.\s\u202f]+) files/.exec((await page.getByTestId('export-estimate').textContent())!)![1]!;
  // Rows that start with a checkbox line up with the fields of the rows around them.
  const fieldLeft = (await page.getByLabel('Copies per image').boundingBox())!.x;
  expect(Math.abs((await page.getByLabel('Resize', { exact: true }).boundingBox())!.x - fieldLeft)).toBeLessThanOrEqual(1);
  expect(Math.abs((await page.getByRole('checkbox', { name: /^train/ }).first().boundingBox())!.x - fieldLeft)).toBeLessThanOrEqual(1);
  await shot(page, info, 'export-2-options');
  await page.getByRole('button', { name: 'Next' }).click();

  const out = path.join(outRoot, 'shapes');
  await page.getByTestId('export-out').fill(out);
  // The last step recaps what will be written, so its body holds more than a lone field.
  const plan = page.getByTestId('export-plan');
  await expect(plan).toContainText('Sample shapes');
  await expect(plan).toContainText('40 augmented copies of each train image, plus the originals');
  await expect(plan).toContainText(`About ${estimate} JPEG files`);
  await expect(plan).toContainText('24 px');
  // No tall empty band between the recap and the buttons.
  const planBottom = (await plan.boundingBox())!.y + (await plan.boundingBox())!.height;
  const footerTop = (await page.getByRole('button', { name: 'Back' }).boundingBox())!.y;
  expect(footerTop - planBottom).toBeLessThan(48);
  await shot(page, info, 'export-3-destination');
  await page.getByRole('button', { name: 'Export', exact: true }).last().click();

  const progress = page.getByTestId('export-progress');
  const bar = progress.getByRole('progressbar');
  await expect(bar).toBeVisible();
  await expect.poll(async () => Number((await bar.getAttribute('aria-valuenow')) ?? 0)).toBeGreaterThan(0);
  await expect(progress).toContainText('writing images');
  // The time left, from the pace so far.
  await expect(progress.getByTestId('export-eta')).toContainText(/about .+ left/);
  // The card shrinks to the progress: no empty form-sized space under it.
  const body = progress.locator('xpath=..');
  expect((await body.boundingBox())!.height).toBeLessThan(150);
  await shot(page, info, 'export-4-progress');
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Export cancelled; the destination was left as it was.')).toBeVisible();
  expect(existsSync(path.join(out, 'manifest.csv'))).toBe(false);

  // Fewer copies, PNG, and it runs to the end.
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByLabel('Copies per image').fill('2');
  await page.getByRole('radio', { name: 'PNG' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Export', exact: true }).last().click();
  const summary = page.getByTestId('export-summary');
  await expect(summary).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('export-folder')).toHaveText(out);
  // Serve mode has no file manager to open: the path is there to copy.
  await expect(summary.getByRole('button', { name: 'Copy path' })).toBeVisible();
  const heading = (await summary.locator('h3').textContent()) ?? '';
  const files = Number(heading.replace(/^Exported ([\d,]+) files?.*$/s, '$1').replace(/,/g, ''));
  expect(files).toBeGreaterThan(0);
  expect(countFiles(out, '.png')).toBe(files);
  const manifestRows = readFileSync(path.join(out, 'manifest.csv'), 'utf8').trim().split('\n').length - 1;
  expect(manifestRows).toBe(files);
  const classRows = summary.locator('tbody tr');
  await expect(classRows).toHaveCount(4);
  await expect(summary).toContainText('manifest.csv');
  await shot(page, info, 'export-5-summary');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, info, 'export-5-summary-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // The same folder again: it is not empty, so the wizard asks before replacing it.
  await page.getByRole('button', { name: 'Export something else' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Export', exact: true }).last().click();
  const confirm = page.getByRole('alertdialog', { name: 'Replace the folder?' });
  await expect(confirm).toContainText('is not empty');
  await shot(page, info, 'export-6-replace');
  await confirm.getByRole('button', { name: 'Replace folder' }).click();
  await expect(summary).toBeVisible({ timeout: 60_000 });
  expect(countFiles(out, '.png')).toBe(files);

  expect(problems).toEqual([]);
});

test('export wizard: a pipeline as JSON and Python', async ({ page }, info) => {
  const problems = watch(page);
  await page.goto(url());
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByRole('radio', { name: /Pipeline/ }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Albumentations').check();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('export-plan')).toContainText('pipeline.json, pipeline_albumentations.py');
  const out = path.join(outRoot, 'pipeline');
  await page.getByTestId('export-out').fill(out);
  await page.getByRole('button', { name: 'Export', exact: true }).last().click();
  const summary = page.getByTestId('export-summary');
  await expect(summary).toContainText('pipeline.json');
  await expect(summary).toContainText('.py');
  expect(JSON.parse(readFileSync(path.join(out, 'pipeline.json'), 'utf8'))).toMatchObject({ version: 1 });
  await shot(page, info, 'export-7-pipeline');
  expect(problems).toEqual([]);
});
