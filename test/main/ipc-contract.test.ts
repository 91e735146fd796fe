import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IpcMainInvokeEvent } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/core/context.js';
import { invokeHandler } from '../../src/main/ipc.js';
import { mediaResponse } from '../../src/main/media-protocol.js';
import { isOwnPage, trustedSender } from '../../src/main/trust.js';
import type { ImportResult } from '../../src/shared/api/library.js';
import { contractCases, type CallThrough } from '../core/transport/contract-cases.js';

const page = pathToFileURL('/opt/smallset/out/renderer/index.html').href;

/** What Electron hands the handler: only the sender frame matters to us. */
function eventFrom(url: string, parent: object | null = null): IpcMainInvokeEvent {
  return { senderFrame: { url, parent } } as unknown as IpcMainInvokeEvent;
}

let tmp: string;
let ctx: AppContext;
let handle: ReturnType<typeof invokeHandler>;
const picked: string[] = [];

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'smallset-ipc-'));
  ctx = createContext(tmp, {
    host: {
      pickFolder: async ({ title }) => {
        picked.push(title ?? '');
        return '/chosen/folder';
      },
    },
  });
  handle = invokeHandler(ctx, trustedSender(() => page));
});

afterAll(() => {
  ctx.close();
  rmSync(tmp, { recursive: true, force: true });
});

const overIpc: CallThrough = async (method, input) => ({ reply: await handle(eventFrom(page), method, input) });

describe('the IPC transport keeps the contract', () => {
  for (const c of contractCases) {
    it(c.name, async () => {
      const { reply } = await overIpc(c.method, c.input);
      if ('ok' in c.expect) {
        expect(reply).toMatchObject({ ok: true });
        return;
      }
      expect(reply.ok).toBe(false);
      if (reply.ok) return;
      expect(reply.error.code).toBe(c.expect.code);
      for (const word of c.expect.mentions) expect(reply.error.message).toContain(word);
      // Errors cross as plain data: code and message, nothing else (no stack).
      expect(Object.keys(reply.error).sort()).toEqual(['code', 'message']);
    });
  }

  it('uses the desktop host for app.pickFolder, and app.info says it can', async () => {
    expect(await handle(eventFrom(page), 'app.pickFolder', { title: 'Pick one' })).toEqual({ ok: true, result: { path: '/chosen/folder' } });
    expect(picked).toEqual(['Pick one']);
    expect(await handle(eventFrom(page), 'app.info', {})).toMatchObject({ ok: true, result: { canPickFolder: true } });
  });

  it('refuses a method name that is not a string', async () => {
    expect(await handle(eventFrom(page), 42, {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });
});

describe('only our own page may call', () => {
  it('refuses subframes, other files and other origins', async () => {
    const stranger = [
      eventFrom(page, { url: page }),
      eventFrom(pathToFileURL('/tmp/evil.html').href),
      eventFrom('https://example.com/'),
      { senderFrame: null } as unknown as IpcMainInvokeEvent,
    ];
    for (const event of stranger) {
      expect(await handle(event, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
  });

  it('matches the packaged page by file and the dev server by origin', () => {
    expect(isOwnPage(`${page}#/x`, page)).toBe(true);
    expect(isOwnPage(pathToFileURL('/opt/smallset/out/renderer/other.html').href, page)).toBe(false);
    expect(isOwnPage('http://localhost:5173/src/x.ts', 'http://localhost:5173/')).toBe(true);
    expect(isOwnPage('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isOwnPage('not a url', page)).toBe(false);
  });
});

describe('smallset:// media', () => {
  let imageId: number;
  beforeAll(async () => {
    const sample = await overIpc('datasets.createSample', {});
    const datasetId = (sample.reply as { ok: true; result: ImportResult }).result.datasetId;
    const q = await overIpc('images.query', { datasetId, limit: 1 });
    imageId = (q.reply as { ok: true; result: { images: { id: number }[] } }).result.images[0]!.id;
  });

  it('serves thumbnails and originals by library id', async () => {
    const thumb = await mediaResponse(ctx, `smallset://thumb/${imageId}`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await thumb.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const image = await mediaResponse(ctx, `smallset://image/${imageId}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
  });

  it('refuses anything but an id', async () => {
    for (const url of [
      'smallset://thumb/../../library.db',
      'smallset://thumb/%2e%2e%2flibrary.db',
      'smallset://thumb/abc',
      `smallset://thumb/${imageId}?path=/etc/passwd`,
      `smallset://file/${imageId}`,
      'smallset://thumb/',
      'nonsense',
    ]) {
      expect((await mediaResponse(ctx, url)).status, url).toBe(400);
    }
    expect((await mediaResponse(ctx, 'smallset://image/987654')).status).toBe(404);
  });
});
