import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { api, datasetIds, forgetDatasetsAddedSince, shot, trainViewOnSample, url, watch } from './helpers.js';

test.describe.configure({ mode: 'serial' });

test('train & compare: a tiny raw-vs-augmented comparison trains live, then Results shows the verdict, table, gap, confusion and ROC, and exports the report', async ({ page }, info) => {
  // About a minute on an idle 2-core machine; the margin is for a busy one.
  test.setTimeout(240_000);
  const problems = watch(page);
  await page.goto(url());
  const before = await datasetIds(page);
  try {
    await page.getByRole('button', { name: 'Train & compare' }).click();
    // The library's change event brings the new dataset into the open view; no reload needed.
    const sample = await api<{ datasetId: number }>(page, 'datasets.createSample', {});
    const form = page.getByRole('complementary', { name: 'Comparison settings' });
    await expect(form.locator(`#train-dataset option[value="${sample.datasetId}"]`)).toHaveCount(1);
    await form.getByLabel('Dataset').selectOption(String(sample.datasetId));
    await expect(form.getByText(/160 labeled images in 4 classes/)).toBeVisible();
    await expect(form.getByRole('radio', { name: /Raw vs augmented/i })).toBeChecked();
    // The tip's quick first try fills the form in one click.
    await page.getByTestId('quick-try').click();
    await expect(form.getByLabel('Repeats')).toHaveValue('1');
    await expect(form.getByLabel('Epochs')).toHaveValue('5');
    await expect(form.getByLabel('Input size')).toHaveValue('32');
    await form.getByLabel('Repeats').fill('1');
    await form.getByLabel('Epochs').fill('2');
    await form.getByLabel('Input size').selectOption('16');
    await form.getByLabel('Name (optional)').fill('e2e tiny comparison');
    await expect(form.getByText('2 arms × 1 repeat = 2 runs')).toBeVisible();
    await shot(page, info, 'compare-1-form');

    await page.getByTestId('train-button').click();
    const live = page.getByTestId('live-comparison');
    await expect(live).toBeVisible();
    await expect(live.getByRole('heading', { name: 'e2e tiny comparison' })).toBeVisible();
    await expect(page.getByTestId('train-button')).toBeDisabled();
    // The first epoch draws the live chart (a uPlot canvas).
    await expect(page.getByTestId('live-accuracy').locator('canvas')).toBeVisible({ timeout: 60_000 });
    await shot(page, info, 'compare-2-live');

    await expect(live.getByTestId('status-pill')).toHaveText('Done', { timeout: 90_000 });
    await expect(live.getByTestId('live-counts')).toContainText('2 of 2 runs done');
    await expect(live.getByTestId('live-verdict')).not.toBeEmpty();
    await shot(page, info, 'compare-3-live-done');

    await live.getByTestId('open-results').click();
    const view = page.getByTestId('comparison-view');
    await expect(view.getByRole('heading', { name: 'e2e tiny comparison' })).toBeVisible();
    await expect(view.getByTestId('verdict')).toContainText('Verdict');
    const table = view.getByTestId('comparison-table');
    await expect(table.getByTestId('comparison-row')).toHaveCount(2);
    await expect(table).toContainText('raw');
    await expect(table).toContainText('augmented');
    await expect(table).toContainText('baseline');
    // The verdict's sentence about the arm is said once, in the verdict: not again under the table (the table's pill keeps it as a tooltip).
    const armSentence = (await table.locator('td .kind').first().getAttribute('title'))!;
    await expect(view.getByTestId('verdict')).toContainText(armSentence);
    expect((await view.innerText()).split(armSentence).length - 1).toBe(1);
    await expect(view.getByTestId('gap-chart')).toBeVisible();
    await expect(view.getByTestId('mean-curves').locator('canvas')).toBeVisible();
    const heat = view.getByTestId('confusion-heatmap');
    await expect(heat.getByRole('cell')).toHaveCount(16);
    await expect(heat.getByRole('columnheader', { name: 'circle' })).toBeVisible();
    await expect(view.getByTestId('roc-chart').locator('canvas')).toBeVisible();
    await expect(view.getByTestId('roc-chart')).toContainText('AUC');
    await view.getByTestId('inspect-arm').selectOption('augmented');
    await expect(heat.getByRole('cell')).toHaveCount(16);
    await shot(page, info, 'compare-4-results');
    // Side by side, the gap panel is as tall as the learning curves' panel, and its plot fills it.
    const gapPanel = (await view.getByTestId('gap-panel').boundingBox())!;
    const curvesPanel = (await view.getByTestId('curves-panel').boundingBox())!;
    expect(Math.abs(gapPanel.y - curvesPanel.y)).toBeLessThanOrEqual(1);
    expect(Math.abs(gapPanel.height - curvesPanel.height)).toBeLessThanOrEqual(1);
    const gapPlot = (await view.getByTestId('gap-chart').boundingBox())!;
    expect(gapPanel.y + gapPanel.height - (gapPlot.y + gapPlot.height)).toBeLessThanOrEqual(16);
    // One repeat: the learning curves draw no band, and the note under them says so.
    await expect(view.getByTestId('mean-curves').getByTestId('chart-footnote')).toHaveText('one run per arm');
    // A 900 px window: the table fits without a sideways scroll; the columns it leaves out are in a line under each arm.
    await page.setViewportSize({ width: 900, height: 700 });
    const tableBox = table.locator('xpath=..');
    await expect(table.getByTestId('comparison-details').first()).toBeVisible();
    await expect(table.getByTestId('comparison-details').first()).toContainText('epochs');
    expect(await tableBox.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
    await table.scrollIntoViewIfNeeded();
    await shot(page, info, 'compare-4b-results-900');
    await page.setViewportSize({ width: 1360, height: 860 });
    await expect(table.getByTestId('comparison-details').first()).toBeHidden();
    expect(await tableBox.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);

    // A button's text is centred on its icon (the line box is not rounded a pixel high).
    const textOffset = await view.getByTestId('export-report').evaluate((button) => {
      const icon = button.querySelector('svg')!.getBoundingClientRect();
      const range = button.ownerDocument.createRange();
      // nodeType 3: a text node.
      range.selectNodeContents([...button.childNodes].find((n) => n.nodeType === 3 && n.textContent!.trim())!);
      const text = range.getBoundingClientRect();
      return text.top + text.height / 2 - (icon.top + icon.height / 2);
    });
    expect(Math.abs(textOffset)).toBeLessThanOrEqual(0.5);
    const downloading = page.waitForEvent('download');
    await view.getByTestId('export-report').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^comparison-\d+\.html$/);
    const html = readFileSync((await download.path())!, 'utf8');
    expect(html).toContain('<html');
    expect(html).toContain('e2e tiny comparison');

    await page.emulateMedia({ colorScheme: 'dark' });
    await view.getByTestId('gap-chart').scrollIntoViewIfNeeded();
    await shot(page, info, 'compare-5-results-dark');
    await heat.scrollIntoViewIfNeeded();
    await shot(page, info, 'compare-6-confusion-dark');
    await page.getByRole('button', { name: 'Train & compare' }).click();
    await expect(page.getByTestId('live-charts')).toBeVisible();
    await shot(page, info, 'compare-7-train-dark');

    expect(problems).toEqual([]);
  } finally {
    await forgetDatasetsAddedSince(page, before);
  }
});

test('train & compare: arms built by hand are checked before training, and a dataset without labels says what to do', async ({ page }, info) => {
  test.setTimeout(150_000);
  const problems = watch(page);
  await page.goto(url());
  const before = await datasetIds(page);
  try {
    await page.getByRole('button', { name: 'Train & compare' }).click();
    const sample = await api<{ datasetId: number }>(page, 'datasets.createSample', {});
    const form = page.getByRole('complementary', { name: 'Comparison settings' });
    await expect(form.locator(`#train-dataset option[value="${sample.datasetId}"]`)).toHaveCount(1);
    await form.getByLabel('Dataset').selectOption(String(sample.datasetId));

    await form.getByRole('tab', { name: 'Build arms' }).click();
    await expect(page.getByTestId('arm-editor')).toHaveCount(2);
    await form.getByRole('button', { name: 'Regularized' }).click();
    await expect(page.getByTestId('arm-editor')).toHaveCount(3);
    await expect(form.getByText('3 arms × 3 repeats = 9 runs')).toBeVisible();
    await form.getByLabel('Name of arm 2').fill('raw');
    await expect(form.getByText('Arm names must differ.')).toBeVisible();
    await expect(page.getByTestId('train-button')).toBeDisabled();
    await form.getByLabel('Name of arm 2').fill('mixup');
    await page.getByTestId('arm-editor').nth(1).getByLabel('MixUp α').fill('0.2');
    await expect(page.getByTestId('train-button')).toBeEnabled();
    await shot(page, info, 'compare-8-arms');

    // Cancel stops the whole comparison.
    await form.getByLabel('Repeats').fill('1');
    await form.getByLabel('Epochs').fill('30');
    await form.getByLabel('Input size').selectOption('16');
    await page.getByTestId('train-button').click();
    const live = page.getByTestId('live-comparison');
    await expect(live.getByTestId('status-pill')).toHaveText(/Queued|Training/);
    // Elsewhere in the app, the top bar keeps the training in view and leads back to it.
    await page.getByRole('button', { name: 'Results', exact: true }).click();
    await expect(page.getByTestId('comparison-item').first()).toContainText(/Training|Queued/);
    await page.getByTestId('training-badge').click();
    await live.getByTestId('cancel-comparison').click();
    await expect(live.getByTestId('status-pill')).toHaveText('Cancelled', { timeout: 30_000 });
    await expect(page.getByText('Comparison cancelled; finished runs are kept.')).toBeVisible();
    await expect(page.getByTestId('train-button')).toBeEnabled();

    // In Results' narrow list (a 900 px window) the name and its "Cancelled" pill share one line: the name gives way.
    await page.setViewportSize({ width: 900, height: 700 });
    await page.getByRole('button', { name: 'Results', exact: true }).click();
    const item = page.getByTestId('comparison-item').filter({ has: page.getByTestId('status-pill').filter({ hasText: 'Cancelled' }) }).first();
    const nameBox = (await item.locator('.name').boundingBox())!;
    const pillBox = (await item.getByTestId('status-pill').boundingBox())!;
    expect(Math.abs(nameBox.y + nameBox.height / 2 - (pillBox.y + pillBox.height / 2))).toBeLessThanOrEqual(2);
    expect(pillBox.x).toBeGreaterThan(nameBox.x + nameBox.width - 1);
    await expect(item.getByTestId('status-pill')).toHaveCSS('white-space', 'nowrap');
    // Beside the list, the comparison's long title fills the pane's width: its pill follows the title's text (on its last line, or
    // under it at the left), never off at the pane's right edge, away from a wrapped title.
    const view = page.getByTestId('comparison-view');
    await expect(view.getByTestId('status-pill')).toHaveText('Cancelled');
    type Box = { left: number; right: number };
    type Boxed = { getClientRects(): ArrayLike<Box> };
    const { lastLine, pill } = await view.evaluate((el) => {
      const root = el as unknown as { querySelector(s: string): Boxed; ownerDocument: { createRange(): Boxed & { selectNodeContents(n: Boxed): void } } };
      const range = root.ownerDocument.createRange();
      range.selectNodeContents(root.querySelector('h2'));
      const plain = (b: Box): Box => ({ left: b.left, right: b.right });
      const lines = Array.from(range.getClientRects());
      return { lastLine: plain(lines[lines.length - 1]!), pill: plain(root.querySelector('[data-testid="status-pill"]').getClientRects()[0]!) };
    });
    expect(pill.left).toBeLessThan(lastLine.right + 40);
    await shot(page, info, 'compare-8b-cancelled-in-list-900');
    await page.setViewportSize({ width: 1360, height: 860 });
    await page.getByRole('button', { name: 'Train & compare' }).click();

    // Every label gone: the form says why it cannot train and where to go.
    const { images } = await api<{ images: { id: number }[] }>(page, 'images.query', { datasetId: sample.datasetId, limit: 1000 });
    await api(page, 'images.label', { imageIds: images.map((i) => i.id), classId: null });
    await expect(form.getByRole('alert')).toContainText('None of the 160 images is labeled yet');
    await expect(page.getByTestId('train-button')).toBeDisabled();
    await shot(page, info, 'compare-9-unlabeled');
    expect(problems).toEqual([]);
  } finally {
    await forgetDatasetsAddedSince(page, before);
  }
});

test('learning curve: the accuracy-vs-training-data axis reads each fraction as a distinct percentage, in increasing order', async ({ page }, info) => {
  // Three one-epoch runs of 16 px images (one arm at three fractions): about half a minute on an idle 2-core machine.
  test.setTimeout(150_000);
  const problems = watch(page);
  await page.goto(url());
  const before = await datasetIds(page);
  try {
    const { form } = await trainViewOnSample(page);
    await form.getByRole('radio', { name: /Learning curve/i }).check();
    await expect(form.getByLabel(/Training fractions/)).toHaveValue('0.1, 0.25, 0.5, 1');
    // The three fractions that once read "0%, 0%, 100%" (a log axis blanked the middle ticks).
    await form.getByLabel(/Training fractions/).fill('0.25, 0.5, 1');
    await form.getByLabel('Repeats').fill('1');
    await form.getByLabel('Epochs').fill('1');
    await form.getByLabel('Input size').selectOption('16');
    await form.getByLabel('Name (optional)').fill('e2e learning curve');
    await expect(form.getByText('2 arms × 1 repeat × 3 fractions = 6 runs')).toBeVisible();
    // The axis is the same for any number of arms; one arm (the preset's fractions kept) trains half the runs.
    await form.getByRole('tab', { name: 'Build arms' }).click();
    await form.getByRole('button', { name: 'Remove arm augmented' }).click();
    await expect(form.getByLabel(/Training fractions/)).toHaveValue('0.25, 0.5, 1');
    await expect(form.getByText('1 arm × 1 repeat × 3 fractions = 3 runs')).toBeVisible();
    // A second tab, open on another view, follows what this one starts: the top bar's badge, then the live panel.
    const other = await page.context().newPage();
    const otherProblems = watch(other);
    await other.goto(url());
    await other.getByRole('button', { name: 'Library', exact: true }).click();
    await page.getByTestId('train-button').click();
    const badge = other.getByTestId('training-badge');
    await expect(badge).toContainText(/Training · \d of 3 runs/);
    await badge.click();
    await expect(other.getByTestId('live-comparison').getByRole('heading', { name: 'e2e learning curve' })).toBeVisible();
    const live = page.getByTestId('live-comparison');
    await expect(live.getByTestId('status-pill')).toHaveText('Done', { timeout: 120_000 });
    await expect(other.getByTestId('live-comparison').getByTestId('status-pill')).toHaveText('Done');
    await other.close();
    expect(otherProblems).toEqual([]);
    // Its verdict has a paragraph per fraction: the toast keeps to one line and shows the verdict on demand.
    const toast = page.locator('.toast', { hasText: 'Comparison finished' });
    await expect(toast).toContainText('Comparison finished; its verdict is in Results.');
    await expect(toast).not.toContainText('With 25%');
    await toast.getByRole('button', { name: 'Details' }).click();
    await expect(toast).toContainText('With 25% of the training images');
    // A verdict reads as prose in the toast's own type; the monospace box is for an error's details only.
    const details = toast.getByTestId('toast-details');
    await expect(details).toContainText('With 25% of the training images');
    const bodyFont = await page.locator('body').evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).fontFamily);
    await expect(details).toHaveCSS('font-family', bodyFont);
    await expect(toast.locator('pre')).toHaveCount(0);
    await shot(page, info, 'compare-9b-verdict-toast');
    await toast.getByRole('button', { name: 'Dismiss' }).click();

    await live.getByTestId('open-results').click();
    const chart = page.getByTestId('comparison-view').getByTestId('fraction-chart');
    await chart.scrollIntoViewIfNeeded();
    const axis = chart.locator('[data-ticks-x]');
    await expect(axis).toHaveAttribute('data-ticks-x', /%/);
    const labels = (await axis.getAttribute('data-ticks-x'))!.split('|');
    expect(labels).toEqual(['25%', '50%', '100%']);
    // The same rule as any fraction list: percentages, all different, rising.
    const shares = labels.map((l) => Number(/^(\d+)%$/.exec(l)?.[1]));
    expect(shares.every(Number.isFinite)).toBe(true);
    expect(new Set(shares).size).toBe(shares.length);
    expect([...shares].sort((a, b) => a - b)).toEqual(shares);
    await shot(page, info, 'compare-10-learning-curve');
    expect(problems).toEqual([]);
  } finally {
    await forgetDatasetsAddedSince(page, before);
  }
});
