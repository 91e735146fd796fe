import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { api, datasetIds, forgetDatasetsAddedSince, shot, url, watch } from './helpers.js';

test.describe.configure({ mode: 'serial' });

let before: number[] = [];
const savedName = 'e2e-augment-flips';

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await page.goto(url());
  await forgetDatasetsAddedSince(page, before);
  await api(page, 'pipelines.delete', { name: savedName }).catch(() => undefined);
  await page.close();
});

const cards = (page: Page) => page.getByTestId('op-card');
const card = (page: Page, op: string) => page.locator(`[data-testid="op-card"][data-op="${op}"]`).first();
const variants = (page: Page) => page.getByTestId('preview-variant');

/** Every <img> under `scope` has arrived (so closing or changing it aborts no request). */
async function imagesLoaded(scope: Locator): Promise<void> {
  type Img = { complete: boolean; naturalWidth: number };
  await expect
    .poll(() => scope.locator('img').evaluateAll((imgs) => imgs.length > 0 && imgs.every((i) => (i as unknown as Img).complete && (i as unknown as Img).naturalWidth > 0)))
    .toBe(true);
}

async function addOp(page: Page, search: string, opId: string): Promise<void> {
  await page.getByTestId('add-op').click();
  await page.getByTestId('op-search').fill(search);
  await expect(page.locator(`[data-op-id="${opId}"]`)).toBeVisible();
  await page.locator(`[data-op-id="${opId}"]`).click();
  await expect(card(page, opId)).toBeVisible();
}

async function rendered(page: Page): Promise<number> {
  return Number((await page.getByTestId('preview-grid').getAttribute('data-rendered')) ?? 0);
}

/** Waits until a preview newer than `than` is on screen and returns its number. */
async function nextPreview(page: Page, than: number): Promise<number> {
  await expect.poll(() => rendered(page)).toBeGreaterThan(than);
  await expect(variants(page)).toHaveCount(9);
  return rendered(page);
}

async function firstSrc(page: Page): Promise<string> {
  return (await variants(page).first().getAttribute('src')) ?? '';
}

/** Drags a range thumb from fraction `from` to `to` of its track with the mouse. */
async function dragThumb(page: Page, track: Locator, from: number, to: number): Promise<void> {
  const box = (await track.boundingBox())!;
  const x = (f: number) => box.x + 7 + (box.width - 14) * f;
  const y = box.y + box.height / 2;
  await page.mouse.move(x(from), y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(x(from + ((to - from) * i) / 8), y);
  await page.mouse.up();
}

type PageGlobals = {
  document: {
    querySelector(selector: string): unknown;
    addEventListener(type: string, listener: () => void, options: { capture: boolean; once: boolean }): void;
  };
  MutationObserver: new (callback: (mutations: unknown, observer: { disconnect(): void }) => void) => {
    observe(target: unknown, options: { attributes: boolean; attributeFilter: string[] }): void;
  };
  navigator: { clipboard: { readText(): Promise<string> } };
  __t0?: number;
  __t1?: Promise<number>;
};

/**
 * From a slider's input event to the preview it asked for arriving (data-rendered changing), as
 * the page's own clock sees it. One arrow key is one slider step.
 */
async function sliderLatency(page: Page, slider: Locator, key: 'ArrowLeft' | 'ArrowRight'): Promise<number> {
  await slider.focus();
  await page.evaluate(() => {
    // The page's globals, typed here because this project compiles its tests without the DOM library.
    const w = globalThis as unknown as PageGlobals;
    const grid = w.document.querySelector('[data-testid="preview-grid"]');
    w.__t1 = new Promise((resolve) => {
      new w.MutationObserver((_m, obs) => {
        obs.disconnect();
        resolve(performance.now());
      }).observe(grid, { attributes: true, attributeFilter: ['data-rendered'] });
    });
    w.document.addEventListener('input', () => (w.__t0 = performance.now()), { capture: true, once: true });
  });
  await page.keyboard.press(key);
  return page.evaluate(async () => {
    const w = globalThis as unknown as PageGlobals;
    return (await w.__t1!) - w.__t0!;
  });
}

test('augment: pick an image, build a pipeline, drag a slider, reseed, each op alone, Keras import, torchvision code', async ({ page, context }, info) => {
  // About 45 s on an idle machine; the margin is for a busy one.
  test.setTimeout(180_000);
  const problems = watch(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(url());
  before = await datasetIds(page);

  if (before.length === 0) {
    // No dataset yet: the view says what to do instead of showing an empty editor.
    await page.getByRole('button', { name: 'Augment', exact: true }).click();
    await expect(page.getByTestId('augment-empty')).toContainText('Try the sample dataset');
    await shot(page, info, 'augment-0-empty');
  }

  await api(page, 'datasets.createSample');
  await page.reload();
  await page.locator('.dataset', { hasText: 'sample' }).first().click();
  await page.getByRole('button', { name: 'Augment', exact: true }).click();
  await expect(page.getByTestId('augment-view')).toBeVisible();
  await expect(page.getByTestId('preview-image-name')).not.toBeEmpty();

  // Pick another image from the library.
  const firstName = (await page.getByTestId('preview-image-name').textContent())!.trim();
  await imagesLoaded(page.locator('.imagebar'));
  await page.getByTestId('pick-image').click();
  const picker = page.getByTestId('image-picker');
  await expect(picker.locator('[data-pick-id]').nth(3)).toBeVisible();
  await imagesLoaded(picker);
  await shot(page, info, 'augment-1-picker');
  await picker.locator('[data-pick-id]').nth(3).click();
  await expect(picker).toBeHidden();
  await expect(page.getByTestId('preview-image-name')).not.toHaveText(firstName);
  // With no op the nine variants are the image itself.
  let seen = await nextPreview(page, 0);

  await addOp(page, 'rot', 'rotate');
  await addOp(page, 'flip', 'hflip');
  await addOp(page, 'bright', 'brightness');
  await expect(cards(page)).toHaveCount(3);
  seen = await nextPreview(page, seen);
  await expect(page.getByTestId('strip-item')).toHaveCount(3);
  await shot(page, info, 'augment-2-pipeline');
  // The image bar is as wide as the preview grid: Reseed ends at the grid's right edge, on the image's line or under it.
  for (const [width, height] of [[1360, 860], [1280, 800], [900, 700]] as const) {
    await page.setViewportSize({ width, height });
    const gridRight = await page.getByTestId('preview-grid').evaluate((el) => el.getBoundingClientRect().right);
    const reseedRight = await page.getByTestId('reseed').evaluate((el) => el.getBoundingClientRect().right);
    expect(Math.abs(reseedRight - gridRight), `at ${width} px`).toBeLessThanOrEqual(1);
  }
  await shot(page, info, 'augment-2b-pipeline-900');
  await page.setViewportSize({ width: 1360, height: 860 });

  // Drag the high end of rotate's angle range: the previews follow.
  const degrees = card(page, 'rotate').getByTestId('param-degrees');
  const high = card(page, 'rotate').getByLabel(/^Angle .*, high \(exact\)$/);
  const srcBefore = await firstSrc(page);
  const highBefore = Number(await high.inputValue());
  await dragThumb(page, degrees, (highBefore + 180) / 360, 0.95);
  await expect.poll(async () => Number(await high.inputValue())).toBeGreaterThan(highBefore + 60);
  await expect.poll(async () => (await rendered(page)) > seen && (await firstSrc(page)) !== srcBefore).toBe(true);
  seen = await rendered(page);

  // Slider change → new preview, measured in the page (reported, not asserted).
  const thumb = degrees.locator('[data-thumb="high"]');
  const latencies: number[] = [];
  for (let i = 0; i < 6; i++) {
    latencies.push(await sliderLatency(page, thumb, i % 2 ? 'ArrowRight' : 'ArrowLeft'));
  }
  latencies.sort((a, b) => a - b);
  const median = latencies[Math.floor(latencies.length / 2)]!;
  const timing = (await page.getByTestId('preview-timing').textContent())?.trim();
  const report = `slider change → new preview on screen: median ${median.toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms (${latencies.map((l) => l.toFixed(0)).join(', ')}); last preview: ${timing}`;
  info.annotations.push({ type: 'preview latency', description: report });
  console.log(report);
  seen = await rendered(page);

  // Reseed: a new seed draws new variants.
  const seedBefore = await page.getByTestId('seed').inputValue();
  const srcBeforeReseed = await firstSrc(page);
  await page.getByTestId('reseed').click();
  await expect(page.getByTestId('seed')).not.toHaveValue(seedBefore);
  await expect.poll(async () => (await rendered(page)) > seen && (await firstSrc(page)) !== srcBeforeReseed).toBe(true);

  // A value out of range is named next to its field; fixing it clears the error.
  const pExact = card(page, 'hflip').getByLabel(/Probability p of .* \(exact\)/);
  await pExact.fill('2');
  await pExact.press('Enter');
  await expect(card(page, 'hflip').getByRole('alert')).toBeVisible();
  await shot(page, info, 'augment-3-field-error');
  await pExact.fill('0.5');
  await pExact.press('Enter');
  await expect(card(page, 'hflip').getByRole('alert')).toHaveCount(0);

  // Keyboard reorder: brightness moves above hflip.
  await card(page, 'brightness').locator('.handle').focus();
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => cards(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-op')))).toEqual(['rotate', 'brightness', 'hflip']);
  await expect(card(page, 'brightness').locator('.handle')).toBeFocused();
  // And by drag: hflip's handle dropped on the top half of rotate's card.
  await card(page, 'hflip').locator('.handle').dragTo(card(page, 'rotate'), { targetPosition: { x: 120, y: 6 } });
  await expect.poll(() => cards(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-op')))).toEqual(['hflip', 'rotate', 'brightness']);

  // Switching an op off leaves it out of the strip.
  await card(page, 'hflip').getByTestId('op-enabled').uncheck();
  await expect(page.getByTestId('strip-item')).toHaveCount(2);
  await card(page, 'hflip').getByTestId('op-enabled').check();
  await expect(page.getByTestId('strip-item')).toHaveCount(3);

  // Save under a name; it shows in the saved list.
  await page.getByTestId('save-pipeline').click();
  await page.getByTestId('save-name').fill(savedName);
  await page.getByTestId('save-confirm').click();
  await expect(page.getByTestId('pipeline-name')).toHaveText(savedName);
  await page.getByTestId('saved-menu').click();
  await expect(page.locator(`[data-saved="${savedName}"]`)).toBeVisible();
  await page.keyboard.press('Escape');

  // Download the pipeline as JSON: what is in the editor, in the pipeline file format.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('download-pipeline').click();
  const file = await downloading;
  expect(file.suggestedFilename()).toBe(`${savedName}.json`);
  const downloaded = JSON.parse(readFileSync((await file.path())!, 'utf8')) as { version: number; ops: { op: string }[] };
  expect(downloaded.version).toBe(1);
  expect(downloaded.ops.map((o) => o.op)).toEqual(['hflip', 'rotate', 'brightness']);

  // Composition: one_of with two children, and a policy.
  await addOp(page, 'one', 'one_of');
  const group = card(page, 'one_of');
  for (const [search, id] of [['gray', 'grayscale'], ['vertical', 'vflip']] as const) {
    await group.getByTestId('add-op-child').click();
    await page.getByTestId('op-search').fill(search);
    await page.locator(`[data-op-id="${id}"]`).click();
  }
  await expect(group.getByTestId('op-card')).toHaveCount(2);
  await addOp(page, 'rand', 'randaugment');
  await expect(page.getByTestId('strip-item')).toHaveCount(5);
  await expect(page.getByTestId('preview-error')).toHaveCount(0);
  await group.scrollIntoViewIfNeeded();
  await shot(page, info, 'augment-4-composition');

  // A pipeline file: a bad one is refused with its name, a good one replaces the editor's.
  await page.getByTestId('import-pipeline-open').click();
  await page.getByTestId('pipeline-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 1, "ops": [') });
  await page.getByTestId('use-json').click();
  await expect(page.getByTestId('import-pipeline').getByRole('alert')).toContainText('broken.json is not valid JSON');
  await page.getByTestId('pipeline-json').fill('{"version": 1, "ops": [{"op": "rotat", "p": 1}]}');
  await page.getByTestId('use-json').click();
  await expect(page.getByTestId('import-pipeline').getByRole('alert')).toContainText('did you mean "rotate"');
  await page.getByTestId('pipeline-file').setInputFiles({ name: 'flips.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 1, "ops": [{"op": "hflip", "p": 0.5}, {"op": "vflip", "p": 0.25}]}') });
  await page.getByTestId('use-json').click();
  await expect(page.getByTestId('import-pipeline')).toBeHidden();
  await expect(page.getByTestId('pipeline-name')).toContainText('flips');
  await expect.poll(() => cards(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-op')))).toEqual(['hflip', 'vflip']);

  // Keras ImageDataGenerator kwargs → pipeline.
  await page.getByTestId('import-keras-open').click();
  await page.getByTestId('keras-config').fill('{"rotation_range": 15, "horizontal_flip": true, "zoom_range": 0.1, "brightness_range": [0.8, 1.2]}');
  await page.getByTestId('convert-keras').click();
  await expect(page.getByTestId('keras-result')).toContainText('rotate');
  await shot(page, info, 'augment-5-keras');
  await page.getByTestId('use-keras').click();
  await expect(page.getByTestId('import-pipeline')).toBeHidden();
  await expect.poll(() => cards(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-op')))).toContain('zoom');
  await expect(page.getByTestId('pipeline-name')).toContainText('Untitled');
  await expect(page.getByTestId('strip-item')).toHaveCount(4);

  // Copy as torchvision.
  await page.getByTestId('copy-as-code').click();
  await expect(page.getByTestId('code-text')).toContainText('keras');
  await page.getByTestId('code-torchvision').click();
  const code = page.getByTestId('code-text');
  await expect(code).toContainText('torchvision');
  await page.getByTestId('copy-code').click();
  await expect(page.getByTestId('code-dialog')).toContainText('Copied');
  const clip = await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText());
  expect(clip).toBe((await code.textContent())!);
  expect(clip).toContain('RandomRotation');
  await shot(page, info, 'augment-6-code');
  await page.keyboard.press('Escape');

  await expect(page.getByTestId('strip-item').first()).toBeVisible();
  await shot(page, info, 'augment-7-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, info, 'augment-8-dark');
  await page.getByTestId('import-keras-open').click();
  await shot(page, info, 'augment-9-dark-dialog');
  // Escape closes a dialog wherever the focus is (here: nowhere, as after a button that disabled itself).
  await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur(): void } | null } }).document.activeElement?.blur());
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('import-pipeline')).toBeHidden();

  // The code dialog opens on the library picked last, and Tab stays inside it.
  await page.getByTestId('copy-as-code').click();
  await expect(page.getByTestId('code-text')).toContainText('torchvision');
  for (let i = 0; i < 12; i++) await page.keyboard.press('Tab');
  await expect(page.getByTestId('code-dialog').locator(':focus')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('code-dialog')).toBeHidden();

  expect(problems).toEqual([]);
});
