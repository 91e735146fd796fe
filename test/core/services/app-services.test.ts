import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../../src/core/context.js';
import { dispatch } from '../../../src/core/transport/dispatch.js';
import type { HostCapabilities } from '../../../src/core/host.js';

let dir: string;
const contexts: AppContext[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'smallset-app-services-'));
});
afterEach(() => {
  for (const ctx of contexts.splice(0)) ctx.close();
  rmSync(dir, { recursive: true, force: true });
});

function context(host: HostCapabilities | undefined): AppContext {
  const ctx = createContext(path.join(dir, `data-${contexts.length}`), host ? { host } : {});
  contexts.push(ctx);
  return ctx;
}

describe('app.setTheme', () => {
  it('passes the choice to a desktop host and is a harmless no-op elsewhere', async () => {
    const themes: string[] = [];
    expect(await dispatch(context({ setTheme: (t) => themes.push(t) }), 'app.setTheme', { theme: 'dark' })).toEqual({ applied: true });
    expect(themes).toEqual(['dark']);
    expect(await dispatch(context(undefined), 'app.setTheme', { theme: 'light' })).toEqual({ applied: false });
  });
});

describe('app.revealPath', () => {
  it('hands an existing path to the host, and app.info says the host can', async () => {
    const shown: string[] = [];
    const ctx = context({ revealPath: (p) => shown.push(p) });
    expect(await dispatch(ctx, 'app.info', {})).toMatchObject({ canRevealPath: true });
    expect(await dispatch(ctx, 'app.revealPath', { path: dir })).toEqual({ shown: true });
    expect(shown).toEqual([dir]);
  });

  it('names a path that is gone instead of opening the file manager somewhere else', async () => {
    const shown: string[] = [];
    const ctx = context({ revealPath: (p) => shown.push(p) });
    const gone = path.join(dir, 'exported-then-deleted');
    await expect(dispatch(ctx, 'app.revealPath', { path: gone })).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining(gone) });
    expect(shown).toEqual([]);
  });

  it('is unsupported without a desktop host (serve, CLI), giving the path to copy', async () => {
    const ctx = context(undefined);
    expect(await dispatch(ctx, 'app.info', {})).toMatchObject({ canRevealPath: false });
    await expect(dispatch(ctx, 'app.revealPath', { path: dir })).rejects.toMatchObject({ code: 'unsupported', message: expect.stringContaining(dir) });
    await expect(dispatch(ctx, 'app.revealPath', { path: ' ' })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
