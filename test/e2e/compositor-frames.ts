import type { CDPSession } from '@playwright/test';

/**
 * What reached the screen, vsync by vsync, as Chromium's compositor reports it (the PipelineReporter
 * trace events behind DevTools' Frames track). A page can scroll smoothly while its main thread is
 * busy: the compositor moves the layers it already has, and the main thread's changes show a frame
 * later ("partial"). rAF intervals only see the main thread; this sees what a user sees.
 */
export interface CompositorFrames {
  /** Vsyncs that put up a new frame with every update that was due in it. */
  whole: number;
  /** Vsyncs that put up a new frame (the scroll moved) without the main thread's latest update. */
  partial: number;
  /** Vsyncs that had something new to show and showed nothing. */
  dropped: number;
  /** Vsyncs with nothing new to show. */
  idle: number;
  /** Vsyncs whose frame left part of the view unpainted (checkerboarding). */
  unpainted: number;
  /** Dropped vsyncs as a share of those that had something to show. */
  droppedShare: number;
}

type FrameReport = { frame_sequence?: number; state?: string; has_missing_content?: boolean };
type TraceEvent = { name: string; ph: string; args?: { frame_reporter?: FrameReport } };

/**
 * Counts one trace's vsyncs by what the screen got. A vsync can have two reports, one for the
 * compositor's own frame and one for a main-thread frame that began in it; it counts as shown if
 * either put up a frame, and as dropped only if every report for it was.
 */
export function tallyFrames(events: readonly TraceEvent[]): CompositorFrames {
  const bySequence = new Map<number, FrameReport[]>();
  for (const event of events) {
    const report = event.args?.frame_reporter;
    if (event.name !== 'PipelineReporter' || event.ph !== 'b' || report?.frame_sequence === undefined) continue;
    bySequence.set(report.frame_sequence, [...(bySequence.get(report.frame_sequence) ?? []), report]);
  }
  const counts = { whole: 0, partial: 0, dropped: 0, idle: 0, unpainted: 0 };
  for (const reports of bySequence.values()) {
    const states = new Set(reports.map((r) => r.state));
    if (states.has('STATE_PRESENTED_PARTIAL')) counts.partial++;
    else if (states.has('STATE_PRESENTED_ALL')) counts.whole++;
    else if (states.has('STATE_DROPPED')) counts.dropped++;
    else counts.idle++;
    if (reports.some((r) => r.has_missing_content)) counts.unpainted++;
  }
  const due = counts.whole + counts.partial + counts.dropped;
  return { ...counts, droppedShare: Math.round((counts.dropped / Math.max(1, due)) * 1000) / 1000 };
}

/**
 * Starts a trace of the frame pipeline only: a few thousand events for a few seconds of scrolling,
 * against tens of thousands with the usual cc and viz categories, so tracing barely adds work.
 */
export async function traceFrames(cdp: CDPSession): Promise<() => Promise<CompositorFrames>> {
  const events: TraceEvent[] = [];
  const collect = (batch: { value: object[] }) => events.push(...(batch.value as TraceEvent[]));
  cdp.on('Tracing.dataCollected', collect);
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['disabled-by-default-devtools.timeline.frame'], excludedCategories: ['*'] },
    transferMode: 'ReportEvents',
  });
  return async () => {
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await complete;
    cdp.off('Tracing.dataCollected', collect);
    return tallyFrames(events);
  };
}
