import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { api, datasetIds, forgetDatasetsAddedSince, shot, trainViewOnSample, url, watch } from './helpers.js';

/** Kills the training process the e2e server forked, as a crash or an out-of-memory kill would. */
function killTrainingProcess(): void {
  const server = process.env.SMALLSET_E2E_PID;
  if (!server) throw new Error('SMALLSET_E2E_PID is not set; run through playwright.config.ts (its global setup starts the server).');
  const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', server], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('train-worker'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
  expect(children).toHaveLength(1);
  process.kill(children[0]!, 'SIGKILL');
}

// Enough epochs that the run cannot end between seeing epoch 1 and the kill, even on a quiet
// machine where a 16 px epoch of the sample takes a fraction of a second.
const EPOCHS = 60;

async function epochsOf(page: Page, runId: string): Promise<number[]> {
  const run = await api<{ epochs: { epoch: number }[] }>(page, 'runs.get', { runId });
  return run.epochs.map((e) => e.epoch);
}

test('a training run killed mid-way resumes from its last epoch, from the Train view or Results; a changed dataset is refused with why', async ({ page }, info) => {
  test.setTimeout(300_000);
  // The refused resume answers 409 on purpose.
  const problems = watch(page, (p) => /^HTTP 409: POST .*\/runs\.resume$|status of 409 \(Conflict\)/.test(p));
  await page.goto(url());
  const before = await datasetIds(page);
  try {
    const { form, ...sample } = await trainViewOnSample(page);
    await form.getByTestId('mode-single').click();
    await form.getByLabel('Epochs').fill(String(EPOCHS));
    await form.getByLabel('Input size').selectOption('16');
    await page.getByTestId('train-button').click();
    const live = page.getByTestId('live-run');
    await expect(live).toBeVisible();

    // Kill the training process once epoch 1 is checkpointed (an epoch is reported only after that).
    const { runs } = await api<{ runs: { id: string; comparisonId: number | null }[] }>(page, 'runs.list', { datasetId: sample.datasetId });
    const runId = runs.find((r) => r.comparisonId === null)!.id;
    await expect.poll(() => epochsOf(page, runId), { timeout: 90_000, intervals: [200] }).not.toEqual([]);
    killTrainingProcess();

    await expect(live.getByTestId('status-pill')).toHaveText('Failed', { timeout: 30_000 });
    await expect(live.getByRole('alert').first()).toContainText('Training failed');
    const resume = live.getByTestId('resume-run');
    await expect(resume).toHaveText(/^Resume from epoch \d+$/);
    const from = Number((await resume.textContent())!.match(/epoch (\d+)/)![1]);
    expect(from).toBeGreaterThanOrEqual(2);
    expect(from).toBeLessThanOrEqual(EPOCHS);
    await expect(page.getByTestId('train-button')).toBeEnabled();
    await shot(page, info, 'resume-1-killed');

    // Relabel one image: the run would now train on other data, so the engine refuses, saying why.
    const { images } = await api<{ images: { id: number; classId: number | null }[] }>(page, 'images.query', { datasetId: sample.datasetId, limit: 1 });
    const { classes } = await api<{ classes: { id: number }[] }>(page, 'classes.list', { datasetId: sample.datasetId });
    const other = classes.find((c) => c.id !== images[0]!.classId)!;
    const { previous } = await api<{ previous: unknown[] }>(page, 'images.label', { imageIds: [images[0]!.id], classId: other.id });
    await resume.click();
    await expect(live.getByTestId('resume-error')).toContainText('its dataset changed since it started');
    await expect(live.getByTestId('status-pill')).toHaveText('Failed');
    await shot(page, info, 'resume-2-refused');

    // Labels put back: the same data again, so the refusal no longer holds and goes. Results offers the resume too.
    await api(page, 'images.restoreLabels', { labels: previous });
    await expect(live.getByTestId('resume-error')).toHaveCount(0);
    await expect(resume).toBeEnabled();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Results', exact: true }).click();
    await page.getByTestId('run-item').filter({ hasText: runId.slice(0, 10) }).click();
    const view = page.getByTestId('run-view');
    await expect(view).toContainText(runId);
    await expect(view.getByTestId('resume-run')).toHaveText(`Resume from epoch ${from}`);
    await shot(page, info, 'resume-3-results-dark');
    await view.getByTestId('resume-run').click();

    // The Train view follows it again: the epochs before stay, training continues to the end.
    await expect(live).toBeVisible();
    await expect(live.getByTestId('status-pill')).not.toHaveText('Failed');
    await expect(live.getByTestId('live-run-charts')).toBeVisible();
    await expect(live.getByTestId('resume-error')).toHaveCount(0);
    await shot(page, info, 'resume-4-continuing-dark');
    await expect(live.getByTestId('status-pill')).toHaveText('Done', { timeout: 180_000 });
    await expect(live.getByTestId('live-run-counts')).toContainText(`${EPOCHS} of ${EPOCHS} epochs`);
    await expect(live.getByTestId('resume-run')).toHaveCount(0);
    expect(await epochsOf(page, runId)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    await page.emulateMedia({ colorScheme: 'light' });
    await shot(page, info, 'resume-5-done');

    // Results shows the finished run, with no resume offered.
    await live.getByTestId('open-run-results').click();
    await expect(view.getByTestId('status-pill')).toHaveText('Done');
    await expect(view.getByTestId('resume-run')).toHaveCount(0);
    expect(problems).toEqual([]);
  } finally {
    await forgetDatasetsAddedSince(page, before);
  }
});
