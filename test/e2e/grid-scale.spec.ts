import { expect, test, type CDPSession, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { api, datasetIds, forgetDatasetsAddedSince, shot, thumbnailsLoaded, url, watch } from './helpers.js';
import { traceFrames, type CompositorFrames } from './compositor-frames.js';
import { frameStats, growDataset, writeSeedImages, type FrameStats } from './scale-library.js';

const TOTAL = 50_000;

/**
 * Playwright's trace keeps a screencast of the page while the test runs when screenshots are on:
 * Chromium copies every composited frame and encodes it as a JPEG. A trace of the steady phase
 * showed that doubling the compositor's work per frame and taking 2.1 s of thread-pool time, which
 * no user pays. The failure trace keeps its DOM snapshots, without the film strip.
 */
test.use({ trace: { mode: 'retain-on-failure', screenshots: false } });

type Recorder = { intervals: number[]; longTasks: number[]; startTop: number; stop: () => void };
/** What the page-side code uses of the browser (this file is type-checked without the DOM library). */
type Scroller = { scrollTop: number; scrollHeight: number };
type PageGlobals = {
  document: { querySelector(selector: string): Scroller | null };
  requestAnimationFrame(callback: (now: number) => void): number;
  PerformanceObserver: new (callback: (list: { getEntries(): { duration: number }[] }) => void) => { observe(options: { type: string }): void; disconnect(): void };
  __frames?: Recorder;
};

/** Records rAF-to-rAF intervals and long tasks in the page until stopped. */
async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const grid = g.document.querySelector('[data-testid="grid"]')!;
    const rec: Recorder = { intervals: [], longTasks: [], startTop: grid.scrollTop, stop: () => undefined };
    let last = performance.now();
    let on = true;
    const tick = (now: number) => {
      if (!on) return;
      rec.intervals.push(now - last);
      last = now;
      g.requestAnimationFrame(tick);
    };
    g.requestAnimationFrame((now) => {
      last = now;
      g.requestAnimationFrame(tick);
    });
    const observer = new g.PerformanceObserver((list) => {
      for (const e of list.getEntries()) rec.longTasks.push(e.duration);
    });
    try {
      observer.observe({ type: 'longtask' });
    } catch {
      // No long-task timing in this browser: the frame times still tell.
    }
    rec.stop = () => {
      on = false;
      observer.disconnect();
    };
    g.__frames = rec;
  });
}

async function stopRecording(page: Page): Promise<{ intervals: number[]; longTasks: number[]; scrolled: number }> {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const rec = g.__frames!;
    rec.stop();
    const grid = g.document.querySelector('[data-testid="grid"]')!;
    return { intervals: rec.intervals, longTasks: rec.longTasks, scrolled: Math.abs(grid.scrollTop - rec.startTop) };
  });
}

/** Moves the scrollbar `px` pixels every frame for `ms`, the way dragging its thumb does. */
async function dragScrollFor(page: Page, ms: number, px: number): Promise<number> {
  return page.evaluate(
    ([ms, px]) =>
      new Promise<number>((resolve) => {
        const g = globalThis as unknown as PageGlobals;
        const grid = g.document.querySelector('[data-testid="grid"]')!;
        const end = performance.now() + ms;
        let steps = 0;
        const step = () => {
          grid.scrollTop += px;
          steps++;
          if (performance.now() < end) g.requestAnimationFrame(step);
          else resolve(steps);
        };
        g.requestAnimationFrame(step);
      }),
    [ms, px] as const,
  );
}

/**
 * Wheel events at (x, y) for `ms`, `delta` pixels each, `gapMs` apart after the browser took each. Sent
 * straight over CDP and paced with a plain timer: every Playwright call (mouse.wheel,
 * waitForTimeout) is a traced action, and with `trace: 'retain-on-failure'` each one snapshots the
 * whole DOM in the page. A Chromium trace of the old loop showed those snapshots (Playwright's
 * captureSnapshot: ≈46,000 forced style/layout passes) taking 2.1 of the main thread's 2.9 busy
 * seconds in the 4 s steady phase: the harness was measuring itself. These are the events
 * page.mouse.wheel sends.
 */
async function wheelFor(cdp: CDPSession, x: number, y: number, ms: number, delta: number, gapMs = 8): Promise<number> {
  let events = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await cdp.send('Input.dispatchMouseEvent', { type: 'mouseWheel', x, y, deltaX: 0, deltaY: delta });
    events++;
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  return events;
}

/** Chromium's own main-thread counters (Performance.getMetrics): cumulative seconds and counts. */
type MainThread = { taskMs: number; scriptMs: number; layoutMs: number; layouts: number; styleMs: number; styles: number };
async function mainThread(cdp: CDPSession): Promise<MainThread> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? 0;
  return {
    taskMs: m('TaskDuration') * 1000,
    scriptMs: m('ScriptDuration') * 1000,
    layoutMs: m('LayoutDuration') * 1000,
    layouts: m('LayoutCount'),
    styleMs: m('RecalcStyleDuration') * 1000,
    styles: m('RecalcStyleCount'),
  };
}
function since(a: MainThread, b: MainThread): MainThread {
  const d = (k: keyof MainThread) => Math.round(b[k] - a[k]);
  return { taskMs: d('taskMs'), scriptMs: d('scriptMs'), layoutMs: d('layoutMs'), layouts: d('layouts'), styleMs: d('styleMs'), styles: d('styles') };
}

const line = (name: string, s: FrameStats) =>
  `${name}: ${s.frames} frames in ${s.seconds} s, frame time p50 ${s.p50} ms, p95 ${s.p95} ms, p99 ${s.p99} ms, max ${s.max} ms; ` +
  `dropped ${(s.droppedShare * 100).toFixed(1)}% of vsyncs; ${s.longTasks} long tasks (${s.longTaskMs} ms); scrolled ${s.scrolledPx.toLocaleString('en')} px`;

const onScreen = (c: CompositorFrames) =>
  `on screen (compositor, per vsync): ${c.whole} frames whole, ${c.partial} with the scroll but not yet the main thread's update, ` +
  `${c.dropped} dropped (${(c.droppedShare * 100).toFixed(1)}% of those due), ${c.idle} idle; ${c.unpainted} with unpainted parts`;

type PhaseReport = FrameStats & { inputs: number; thumbnails?: number; mainThread: MainThread; compositor: CompositorFrames };

/**
 * Scrolls the page's `[data-testid="grid"]` in four ways and reports, for each, the main thread's
 * frame times (rAF), what the compositor put on screen (see compositor-frames.ts) and Chromium's
 * main-thread counters: reading speed (a 100 px wheel notch every 125 ms, about a screen
 * a second), 100 px notches back to back (about 2,500 px a second here), flinging (1,200 px notches,
 * through pages not yet loaded), and the scrollbar dragged at 300 px a frame (about 18,000 px a
 * second).
 */
async function measureScrolling(page: Page, label: string, thumbnails?: () => number): Promise<Record<string, PhaseReport>> {
  const box = (await page.getByTestId('grid').boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const phases: [string, () => Promise<number>][] = [
    ['reading speed (100 px every 125 ms)', () => wheelFor(cdp, x, y, 4000, 100, 125)],
    ['steady wheel (100 px a notch)', () => wheelFor(cdp, x, y, 4000, 100)],
    ['fast wheel (1,200 px a notch)', () => wheelFor(cdp, x, y, 3000, 1200)],
    ['scrollbar drag (300 px a frame)', () => dragScrollFor(page, 3000, 300)],
  ];
  const report: Record<string, PhaseReport> = {};
  for (const [name, scroll] of phases) {
    await startRecording(page);
    const thumbsBefore = thumbnails?.() ?? 0;
    const start = await mainThread(cdp);
    const stopTrace = await traceFrames(cdp);
    const inputs = await scroll();
    const compositor = await stopTrace();
    const work = since(start, await mainThread(cdp));
    const rec = await stopRecording(page);
    const stats = frameStats(rec.intervals, rec.longTasks, rec.scrolled);
    const requested = thumbnails ? thumbnails() - thumbsBefore : undefined;
    report[name] = { ...stats, inputs, thumbnails: requested, mainThread: work, compositor };
    console.log(
      `${label} ${line(name, stats)}; ${inputs} scroll inputs; ${requested === undefined ? '' : `${requested} thumbnails requested; `}main thread busy ${work.taskMs} ms ` +
        `(script ${work.scriptMs}, layout ${work.layoutMs} in ${work.layouts}, style ${work.styleMs} in ${work.styles}); ${onScreen(compositor)}`,
    );
    expect(stats.scrolledPx).toBeGreaterThan(0);
  }
  await cdp.detach();
  return report;
}

/** A scroller as tall as the 50k grid, striped like its rows, with nothing to do while it scrolls. */
const CONTROL_PAGE = `<!doctype html>
<style>
  body { margin: 0; height: 100vh; display: flex; }
  [data-testid='grid'] { flex: 1; overflow-y: auto; background: #f4f4f6; }
  [data-testid='grid'] > div { height: 1000000px; background: repeating-linear-gradient(#dfe1e8 0 140px, #f4f4f6 140px 162px); }
</style>
<div data-testid="grid"><div></div></div>`;

test('the grid scrolls 50,000 thumbnails: frame times are measured and reported', async ({ page }, info) => {
  test.setTimeout(120_000);
  const dataDir = process.env.SMALLSET_E2E_DATA;
  if (!dataDir) throw new Error('SMALLSET_E2E_DATA is not set; run through playwright.config.ts.');
  const problems = watch(page);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-e2e-scale-'));
  await page.goto(url());
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible();
  const before = await datasetIds(page);
  try {
    // 120 real images imported the normal way, then copied row by row in SQLite up to 50,000.
    await writeSeedImages(dir, 120, ['alpha', 'beta', 'gamma', 'delta']);
    const imported = await api<{ datasetId: number; imported: number }>(page, 'datasets.import', { path: dir, name: 'Scale 50k' });
    expect(imported.imported).toBe(120);
    expect(growDataset(path.join(dataDir, 'library.db'), imported.datasetId, TOTAL)).toBe(TOTAL);

    await page.reload();
    await page.locator('.dataset', { hasText: 'Scale 50k' }).click();
    await expect(page.locator('.shown')).toHaveText(`${TOTAL.toLocaleString('en-US')} images`);
    await thumbnailsLoaded(page);
    await shot(page, info, 'grid-50k-top');

    // Thumbnails requested per phase: a fling shows rows without pictures until it slows down.
    let thumbRequests = 0;
    page.on('request', (r) => {
      if (r.url().includes('/media/thumb/')) thumbRequests++;
    });
    const gridReport = await measureScrolling(page, '[grid 50k]', () => thumbRequests);
    // The same input on a page that does nothing while it scrolls: what this browser and machine
    // manage at best in these minutes, to read the grid's figures against.
    const control = await page.context().newPage();
    await control.setContent(CONTROL_PAGE);
    // A page just made drops its first frames while it starts up: let that pass before measuring.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const controlReport = await measureScrolling(control, '[grid control]');
    await control.close();
    const report = { grid: gridReport, control: controlReport };
    await info.attach('grid-50k-frame-times.json', { body: JSON.stringify(report, null, 2), contentType: 'application/json' });

    // However far it scrolled, only the rows in view exist, and they fill in.
    expect(await page.locator('[data-image-id]').count()).toBeLessThan(200);
    await thumbnailsLoaded(page);
    await shot(page, info, 'grid-50k-scrolled');

    // The far end is reachable and labeled like the start.
    await page.getByTestId('grid').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(page.locator(`[data-index="${TOTAL - 1}"]`)).toBeVisible();
    await thumbnailsLoaded(page);
    expect(problems).toEqual([]);
  } finally {
    await forgetDatasetsAddedSince(page, before);
    rmSync(dir, { recursive: true, force: true });
  }
});
