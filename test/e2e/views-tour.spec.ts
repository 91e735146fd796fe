import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { freshSample, datasetIds, forgetDatasetsAddedSince, shot, thumbnailsLoaded, url, watch } from './helpers.js';

/** Both themes of what is on screen now, in a 1280 × 800 and a 900 × 700 window, for looking at by eye. */
async function bothThemes(page: Page, info: TestInfo, name: string): Promise<void> {
  for (const [width, height] of [[1280, 800], [900, 700]] as const) {
    await page.setViewportSize({ width, height });
    const size = width === 1280 ? '' : `-${width}`;
    await page.emulateMedia({ colorScheme: 'light' });
    await shot(page, info, `${name}${size}-light`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, info, `${name}${size}-dark`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('a tour of every view on the sample dataset, in light and dark', async ({ page }, info) => {
  test.setTimeout(150_000);
  // Leaving a view cancels the thumbnails still loading in it; that is the browser, not a failure.
  const problems = watch(page, (p) => /^request failed: GET \S+\/media\/thumb\/\d+ net::ERR_ABORTED$/.test(p));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(url());
  const before = await datasetIds(page);
  try {
    // Empty states first, while there may be no dataset.
    if (before.length === 0) {
      for (const view of ['Augment', 'Train & compare', 'Export', 'Quality'] as const) {
        await page.getByRole('button', { name: view, exact: true }).click();
        await bothThemes(page, info, `tour-empty-${view.replace(/\W+/g, '-').toLowerCase()}`);
      }
    }
    const sample = await freshSample(page);
    await page.reload();
    await page.locator('.dataset').last().click();
    await expect(page.locator('.shown')).toHaveText('160 images');
    await thumbnailsLoaded(page);
    await page.locator('[data-index="5"]').click();
    await bothThemes(page, info, 'tour-1-library');

    await page.getByRole('button', { name: 'Augment', exact: true }).click();
    await expect(page.getByTestId('augment-view')).toBeVisible();
    await bothThemes(page, info, 'tour-2-augment');

    await page.getByRole('button', { name: 'Train & compare', exact: true }).click();
    const form = page.getByRole('complementary', { name: 'Comparison settings' });
    await form.getByLabel('Dataset').selectOption(String(sample.datasetId));
    await bothThemes(page, info, 'tour-3-train');
    await form.getByTestId('mode-single').click();
    await bothThemes(page, info, 'tour-3b-train-one');

    await page.getByRole('button', { name: 'Results', exact: true }).click();
    await bothThemes(page, info, 'tour-4-results');

    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await bothThemes(page, info, 'tour-5-export');

    await page.getByRole('button', { name: 'Quality', exact: true }).click();
    await bothThemes(page, info, 'tour-6-quality');
    expect(problems).toEqual([]);
  } finally {
    await forgetDatasetsAddedSince(page, before);
  }
});
