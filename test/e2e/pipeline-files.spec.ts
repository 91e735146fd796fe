import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { api, freshSample, datasetIds, forgetDatasetsAddedSince, shot, url, watch } from './helpers.js';

const json = (value: unknown) => ({ name: '', mimeType: 'application/json', buffer: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) });

test('augment: open a pipeline file into the editor and save it back (browser: file input and download)', async ({ page }, info) => {
  test.setTimeout(90_000);
  const problems = watch(page);
  await page.goto(url());
  const before = await datasetIds(page);
  try {
    await freshSample(page);
    await page.reload();
    await page.getByRole('button', { name: 'Augment', exact: true }).click();
    await expect(page.getByTestId('augment-view')).toBeVisible();
    // A browser has no native dialogs: saving is a download.
    await expect(page.getByTestId('download-pipeline')).toHaveText('Download JSON');

    const input = page.getByTestId('open-pipeline-input');
    await input.setInputFiles({ ...json('{"version": 1, "ops": ['), name: 'broken.json' });
    await expect(page.getByText(/broken\.json is not valid JSON/)).toBeVisible();
    await input.setInputFiles({ ...json({ version: 1, ops: [{ op: 'teleport', p: 1 }] }), name: 'odd.json' });
    await expect(page.getByText(/odd\.json is not a pipeline this app can use: ops\[0\]: .*teleport/)).toBeVisible();
    await expect(page.getByTestId('op-card')).toHaveCount(0);

    const pipeline = { version: 1, ops: [{ op: 'hflip', p: 0.5 }, { op: 'rotate', p: 1, degrees: [-15, 15], fill: 'reflect' }] };
    await input.setInputFiles({ ...json(pipeline), name: 'gentle flips.json' });
    await expect(page.getByTestId('pipeline-name')).toContainText('gentle flips');
    await expect.poll(() => page.getByTestId('op-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-op')))).toEqual(['hflip', 'rotate']);
    await expect(page.getByTestId('preview-variant').first()).toBeVisible();
    await shot(page, info, 'pipeline-file-opened');

    const downloading = page.waitForEvent('download');
    await page.getByTestId('download-pipeline').click();
    const file = await downloading;
    expect(file.suggestedFilename()).toBe('gentle-flips.json');
    const saved = JSON.parse(readFileSync((await file.path())!, 'utf8')) as { version: number; ops: { op: string; degrees?: number[] }[] };
    expect(saved.version).toBe(1);
    expect(saved.ops.map((o) => o.op)).toEqual(['hflip', 'rotate']);
    expect(saved.ops[1]!.degrees).toEqual([-15, 15]);
    // Nothing was stored in the library's saved pipelines by opening a file.
    const list = await api<{ pipelines: { name: string }[] }>(page, 'pipelines.list');
    expect(list.pipelines.map((p) => p.name)).not.toContain('gentle flips');
    expect(problems).toEqual([]);
  } finally {
    await forgetDatasetsAddedSince(page, before);
  }
});
