import { rmSync } from 'node:fs';
import sharp from 'sharp';
import { expect, type Browser, type Locator, type Page, type Request, type TestInfo } from '@playwright/test';

export const url = (): string => {
  const u = process.env.SMALLSET_E2E_URL;
  if (!u) throw new Error('SMALLSET_E2E_URL is not set; run through playwright.config.ts (its global setup starts the server).');
  return u;
};

/** Every console error, page error, failed request and HTTP error the page meets. */
export function watch(page: Page, allow: (problem: string) => boolean = () => false): string[] {
  const problems: string[] = [];
  const add = (p: string) => {
    if (!allow(p)) problems.push(p);
  };
  page.on('console', (m) => {
    if (m.type() === 'error') add(`console error: ${m.text()}`);
    // Svelte's runtime warnings (stale deriveds, ownership) point at real bugs.
    else if (m.type() === 'warning' && m.text().includes('svelte.dev/e/')) add(`svelte warning: ${m.text()}`);
  });
  page.on('pageerror', (e) => add(`page error: ${e.message}`));
  let navigations = 0;
  // Between a navigation's request and the new document's commit, the old page still runs (and
  // may still call the API): what it starts then belongs to the page being left.
  let leaving = false;
  const startedDuring = new WeakMap<Request, number>();
  page.on('request', (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) {
      navigations++;
      leaving = true;
    } else startedDuring.set(r, leaving ? navigations - 1 : navigations);
  });
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) leaving = false;
  });
  page.on('requestfailed', (r) => {
    const reason = r.failure()?.errorText ?? '';
    // Leaving the page (reload, goto) cancels what the old page still had in flight.
    if (reason === 'net::ERR_ABORTED' && (startedDuring.get(r) ?? navigations) < navigations) return;
    // A reload ends the event stream the page had open; that is the browser leaving, not a failure.
    if (r.url().endsWith('/api/events') && reason === 'net::ERR_ABORTED') return;
    add(`request failed: ${r.method()} ${r.url()} ${reason}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) add(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return problems;
}

export async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  const path = info.outputPath(`${name}.png`);
  // Finished transitions: a screenshot right after a theme switch would otherwise catch buttons mid-fade.
  await page.screenshot({ path, animations: 'disabled' });
  await info.attach(name, { path, contentType: 'image/png' });
}

export async function thumbnailsLoaded(page: Page): Promise<void> {
  type Img = { complete: boolean; naturalWidth: number };
  await expect
    .poll(() =>
      page
        .locator('[data-image-id] img')
        .evaluateAll((imgs) => imgs.length > 0 && imgs.every((img) => (img as unknown as Img).complete && (img as unknown as Img).naturalWidth > 0)),
    )
    .toBe(true);
}

/** Calls the API from inside the page (its session cookie authenticates), for setup and cleanup. */
export async function api<T = unknown>(page: Page, method: string, input: unknown = {}): Promise<T> {
  const reply = await page.evaluate(
    async ([m, i]) => {
      const res = await fetch(`/api/call/${m}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(i) });
      return (await res.json()) as { ok: boolean; result?: unknown; error?: { message: string } };
    },
    [method, input] as const,
  );
  if (!reply.ok) throw new Error(`${method}: ${reply.error?.message ?? 'failed'}`);
  return reply.result as T;
}

/**
 * The specs share one server and data folder; library.spec.ts expects to start on an empty
 * library. Specs that add datasets call this at the end to forget the ones they added.
 */
export async function forgetDatasetsAddedSince(page: Page, before: readonly number[]): Promise<void> {
  const { datasets } = await api<{ datasets: { id: number }[] }>(page, 'datasets.list');
  for (const d of datasets) if (!before.includes(d.id)) await api(page, 'datasets.remove', { datasetId: d.id });
}

/** A small PNG whose one colour comes from `i`: distinct files, since the library folds identical ones into one. */
export async function writeSwatch(file: string, i: number): Promise<void> {
  await sharp({ create: { width: 24, height: 24, channels: 3, background: { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 53) % 256 } } })
    .png()
    .toFile(file);
}

/** A spec's afterAll: forgets the datasets it added and removes its temp folders. */
export async function cleanUpSpec(browser: Browser, before: readonly number[], ...dirs: string[]): Promise<void> {
  const page = await browser.newPage();
  await page.goto(url());
  await forgetDatasetsAddedSince(page, before);
  await page.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

/** The sample dataset, made anew: an earlier spec may have left it in the library, where a folder can be only once. */
export async function freshSample(page: Page): Promise<{ datasetId: number }> {
  const { datasets } = await api<{ datasets: { id: number; root: string }[] }>(page, 'datasets.list');
  for (const d of datasets) if (/[\\/]samples[\\/]shapes$/.test(d.root)) await api(page, 'datasets.remove', { datasetId: d.id });
  return api<{ datasetId: number }>(page, 'datasets.createSample', {});
}

export async function datasetIds(page: Page): Promise<number[]> {
  const { datasets } = await api<{ datasets: { id: number }[] }>(page, 'datasets.list');
  return datasets.map((d) => d.id);
}

/** Train & compare with a fresh sample dataset chosen in its form; returns the dataset and the form. */
export async function trainViewOnSample(page: Page): Promise<{ datasetId: number; form: Locator }> {
  await page.getByRole('button', { name: 'Train & compare' }).click();
  const { datasetId } = await freshSample(page);
  const form = page.getByRole('complementary', { name: 'Comparison settings' });
  await expect(form.locator(`#train-dataset option[value="${datasetId}"]`)).toHaveCount(1);
  await form.getByLabel('Dataset').selectOption(String(datasetId));
  return { datasetId, form };
}
