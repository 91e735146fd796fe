import { expect, test, type Locator } from '@playwright/test';
import { api, datasetIds, forgetDatasetsAddedSince, freshSample, shot, trainViewOnSample, url, watch } from './helpers.js';

/** Calls the API from the test process, as a script or a second client would: the token, no page. */
async function callFromOutside<T>(method: string, input: unknown): Promise<T> {
  const address = new URL(url());
  const res = await fetch(new URL(`/api/call/${method}`, address.origin), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${address.searchParams.get('token')}` },
    body: JSON.stringify(input),
  });
  const reply = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!reply.ok) throw new Error(`${method}: ${reply.error?.message ?? `HTTP ${res.status}`}`);
  return reply.result as T;
}

/** How many tiles sit in each row, top to bottom. */
async function tileRows(tiles: Locator): Promise<number[]> {
  const tops = await tiles.evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
  const rows = new Map<number, number>();
  for (const t of tops) rows.set(t, (rows.get(t) ?? 0) + 1);
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
}

test('train one model: the same form trains a single run with live curves, then Results shows it', async ({ page }, info) => {
  // Under a minute on an idle 2-core machine; the margin is for a busy one.
  test.setTimeout(180_000);
  const problems = watch(page);
  await page.goto(url());
  const before = await datasetIds(page);
  try {
    const { form, ...sample } = await trainViewOnSample(page);

    await form.getByTestId('mode-single').click();
    await expect(page.getByTestId('single-editor')).toBeVisible();
    // A single run has no repeats, fractions or comparison name.
    await expect(form.getByLabel('Repeats')).toHaveCount(0);
    await expect(form.getByLabel('Name (optional)')).toHaveCount(0);
    await form.getByLabel('Epochs').fill('3');
    await form.getByLabel('Input size').selectOption('16');
    await page.getByTestId('single-editor').getByLabel('Dropout').fill('0.2');
    await expect(page.getByTestId('train-button')).toHaveText('Train one model');
    await shot(page, info, 'single-1-form');

    await page.getByTestId('train-button').click();
    const live = page.getByTestId('live-run');
    await expect(live).toBeVisible();
    await expect(page.getByTestId('train-button')).toBeDisabled();
    // Elsewhere, the top bar's badge says a model is training and leads back.
    await page.getByRole('button', { name: 'Library', exact: true }).click();
    await expect(page.getByTestId('training-badge')).toContainText('Training one model');
    await page.getByTestId('training-badge').click();
    await expect(page.getByTestId('live-run-accuracy').locator('canvas')).toBeVisible({ timeout: 90_000 });
    await shot(page, info, 'single-2-live');

    await expect(live.getByTestId('status-pill')).toHaveText('Done', { timeout: 90_000 });
    await expect(live.getByTestId('live-run-metrics')).toContainText('Validation accuracy');
    await expect(live.getByTestId('live-run-counts')).toContainText('of 3 epochs');
    await expect(page.getByTestId('train-button')).toBeEnabled();
    await shot(page, info, 'single-3-done');
    // In a 900 px window the facts under the progress bar wrap as wholes ("Epoch 19 of 40" never splits).
    await page.setViewportSize({ width: 900, height: 700 });
    const counts = live.getByTestId('live-run-counts');
    await expect(counts).toHaveCSS('flex-wrap', 'wrap');
    for (const fact of await counts.locator('span').all()) {
      await expect(fact).toHaveCSS('white-space', 'nowrap');
      expect(await fact.evaluate((el) => el.getClientRects().length)).toBe(1);
    }
    await shot(page, info, 'single-3b-done-900');
    await page.setViewportSize({ width: 1360, height: 860 });

    // The run's config carries what the form set.
    const { runs } = await api<{ runs: { id: string; comparisonId: number | null; datasetId: number }[] }>(page, 'runs.list', { datasetId: sample.datasetId });
    const single = runs.find((r) => r.comparisonId === null)!;
    const detail = await api<{ config: { epochs: number; size: number; dropout: number; pipeline: unknown } }>(page, 'runs.get', { runId: single.id });
    expect(detail.config).toMatchObject({ epochs: 3, size: 16, dropout: 0.2, pipeline: null });

    await live.getByTestId('open-run-results').click();
    await expect(page.getByTestId('run-view')).toBeVisible();
    await expect(page.getByTestId('run-view')).toContainText(single.id);
    // The stat tiles fill their rows evenly (4 + 3 here, never 6 + 1), their values level within a row; at 900 px too.
    const tiles = page.getByTestId('run-kpis').locator(':scope > div');
    await expect(tiles).toHaveCount(7);
    for (const width of [1280, 900]) {
      await page.setViewportSize({ width, height: width === 900 ? 700 : 800 });
      await expect.poll(() => tileRows(tiles)).toEqual([4, 3]);
      const values = await tiles.locator('dd').evaluateAll((dds) => dds.map((dd) => Math.round(dd.getBoundingClientRect().top)));
      expect(new Set(values.slice(0, 4)).size, `values of the first row at ${width} px: ${values.join(', ')}`).toBe(1);
      expect(new Set(values.slice(4)).size, `values of the second row at ${width} px: ${values.join(', ')}`).toBe(1);
      await shot(page, info, `single-4-results-${width}`);
    }
    await page.setViewportSize({ width: 1360, height: 860 });
    // The loss axis runs to a labelled round value above the highest loss, so no curve runs along an unlabelled top edge.
    const { epochs } = await api<{ epochs: { loss: number; valLoss: number | null }[] }>(page, 'runs.get', { runId: single.id });
    const highest = Math.max(...epochs.flatMap((e) => [e.loss, e.valLoss ?? 0]));
    const lossTicks = page.getByTestId('run-view').locator('figure', { hasText: 'Loss' }).locator('[data-ticks-y]');
    await expect(lossTicks).toHaveAttribute('data-ticks-y', /\d/);
    const ticks = (await lossTicks.getAttribute('data-ticks-y'))!.split('|').map(Number);
    expect(Math.max(...ticks), `loss ticks ${ticks.join(', ')} under a highest loss of ${highest}`).toBeGreaterThanOrEqual(highest);
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, info, 'single-4-results-dark');
    await page.getByRole('button', { name: 'Train & compare' }).click();
    await expect(page.getByTestId('live-run-charts')).toBeVisible();
    await shot(page, info, 'single-5-train-dark');
    expect(problems).toEqual([]);
  } finally {
    await forgetDatasetsAddedSince(page, before);
  }
});

test('a run and a rescan started outside the page (a script calling the API) show here live, and the run is listed when done', async ({ page }, info) => {
  test.setTimeout(150_000);
  const problems = watch(page);
  await page.goto(url());
  const before = await datasetIds(page);
  try {
    const { datasetId } = await freshSample(page);
    // Results is open (its list loaded) before the run exists, so the run can only show there by the page noticing it end.
    await page.getByRole('button', { name: 'Results', exact: true }).click();
    await expect(page.getByRole('navigation', { name: 'Comparisons and runs' }).or(page.getByTestId('results-empty'))).toBeVisible();
    const { runId } = await callFromOutside<{ runId: string }>('train.start', { datasetId, size: 16, epochs: 1, batchSize: 8, filters: [8], seed: 1 });
    const item = page.getByTestId('run-item').filter({ hasText: `Run ${runId.slice(0, 10)}` });
    await expect(item).toHaveCount(0);

    const badge = page.getByTestId('training-badge');
    await expect(badge).toContainText('Training one model');
    await shot(page, info, 'outside-1-badge');

    await expect(item).toHaveCount(1, { timeout: 90_000 });
    await expect(item.getByText('Done')).toBeVisible();
    await expect(badge).toHaveCount(0);

    // Train & compare shows the run it followed, ended, as it would one started here.
    await page.getByRole('button', { name: 'Train & compare' }).click();
    const live = page.getByTestId('live-run');
    await expect(live.getByTestId('status-pill')).toHaveText('Done');
    await expect(live.getByTestId('live-run-counts')).toContainText('of 1 epoch');
    await shot(page, info, 'outside-2-done');
    await live.getByTestId('open-run-results').click();
    await expect(page.getByTestId('run-view')).toContainText(runId);
    // Its one epoch is one tick on the epoch axis, not an axis running on to an epoch 2 that never was.
    await expect(page.getByTestId('run-view').locator('figure', { hasText: 'Accuracy' }).locator('[data-ticks-x]')).toHaveAttribute('data-ticks-x', '1');
    await shot(page, info, 'outside-3-run');

    // A long call started outside (a rescan here) shows in the top bar while it lasts, however short.
    await page.evaluate(`(() => {
      const seen = (window.jobTitlesSeen = []);
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="job-progress"] .title')?.textContent;
        if (text && !seen.includes(text)) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await callFromOutside('datasets.rescan', { datasetId });
    await expect.poll(() => page.evaluate('window.jobTitlesSeen')).toContain('Rescanning (started elsewhere)');
    await expect(page.getByTestId('job-progress')).toHaveCount(0);
    expect(problems).toEqual([]);
  } finally {
    await forgetDatasetsAddedSince(page, before);
  }
});
