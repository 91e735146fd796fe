import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { api, datasetIds, forgetDatasetsAddedSince, shot, trainViewOnSample, url, watch } from './helpers.js';

/** Pids of the training processes the e2e server forked. */
function trainingProcesses(): number[] {
  const server = process.env.SMALLSET_E2E_PID;
  if (!server) throw new Error('SMALLSET_E2E_PID is not set; run through playwright.config.ts (its global setup starts the server).');
  return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', server], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('train-worker'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** Epochs logged by the comparison's run training now; 0 when none is training. */
async function epochsOfRunningRun(page: Page, comparisonId: number): Promise<number> {
  const { runs } = await api<{ runs: { id: string; status: string }[] }>(page, 'runs.list', { comparisonId });
  const running = runs.find((r) => r.status === 'running');
  if (!running) return 0;
  return (await api<{ epochs: unknown[] }>(page, 'runs.get', { runId: running.id })).epochs.length;
}

test('a comparison with a run that failed: the live panel, the Results list and the comparison say how much failed and why', async ({ page }, info) => {
  test.setTimeout(180_000);
  const problems = watch(page);
  await page.goto(url());
  const before = await datasetIds(page);
  try {
    const { form } = await trainViewOnSample(page);
    // Two arms on the images as they are: the arm that is not killed trains quickly to the end.
    await form.getByRole('tab', { name: 'Build arms' }).click();
    await form.getByLabel('Name of arm 2').fill('raw again');
    await page.getByTestId('arm-editor').nth(1).getByLabel('Training data').selectOption({ index: 0 });
    await form.getByLabel('Repeats').fill('1');
    await form.getByLabel('Epochs').fill('25');
    await form.getByLabel('Input size').selectOption('16');
    await form.getByLabel('Name (optional)').fill('e2e comparison with a failure');
    await page.getByTestId('train-button').click();
    const live = page.getByTestId('live-comparison');
    await expect(live.getByTestId('status-pill')).toHaveText(/Queued|Training/);

    // A run's training process dies (as an out-of-memory kill would) once it has trained an epoch. Caught
    // while it still trains: on a fast machine the first arm can finish between two looks, then it is the second.
    const { comparisons } = await api<{ comparisons: { id: number; name: string }[] }>(page, 'compare.list');
    const comparisonId = comparisons.find((c) => c.name === 'e2e comparison with a failure')!.id;
    let worker: number | undefined;
    await expect
      .poll(
        async () => {
          if ((await epochsOfRunningRun(page, comparisonId)) === 0) return false;
          const workers = trainingProcesses();
          worker = workers.length === 1 ? workers[0] : undefined;
          return worker !== undefined;
        },
        { timeout: 90_000, intervals: [200] },
      )
      .toBe(true);
    process.kill(worker!, 'SIGKILL');
    await expect(live.getByTestId('live-counts')).toContainText('1 failed', { timeout: 30_000 });

    // The other arm trains to the end: done, but not all of it.
    await expect(live.getByTestId('status-pill')).toHaveText('Done · 1 failed', { timeout: 150_000 });
    // Its toast is a warning (alert icon, warning colour), not a success tick.
    await expect(page.locator('.toast', { hasText: 'Comparison finished' })).toHaveClass(/\bwarning\b/);
    await expect(live.getByRole('progressbar').locator('.fill')).toHaveClass(/\bpartial\b/);
    await shot(page, info, 'compare-failed-1-live');

    await live.getByTestId('open-results').click();
    const view = page.getByTestId('comparison-view');
    await expect(view.getByTestId('status-pill')).toHaveText('Done · 1 failed');
    await expect(page.getByTestId('comparison-item').first().getByTestId('status-pill')).toHaveText('Done · 1 failed');
    await view.getByText('1 run failed — show why').click();
    await expect(view).toContainText('killed');
    await shot(page, info, 'compare-failed-2-results');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, info, 'compare-failed-3-results-dark');
    expect(problems).toEqual([]);
  } finally {
    await forgetDatasetsAddedSince(page, before);
  }
});
