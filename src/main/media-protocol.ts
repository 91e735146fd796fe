import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { AppContext } from '../core/context.js';
import { imageFile, thumbnailFile } from '../core/library/media.js';
import { toApiError } from '../core/transport/dispatch.js';

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * Answers smallset://thumb/<id> and smallset://image/<id>: files are found by library id, so the
 * page can never name a path. Anything else is refused.
 */
export async function mediaResponse(ctx: AppContext, requestUrl: string): Promise<Response> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return plain(400, 'Malformed media address.');
  }
  const kind = url.hostname;
  const idText = url.pathname.replace(/^\//, '');
  if ((kind !== 'thumb' && kind !== 'image') || !/^[1-9]\d{0,15}$/.test(idText) || url.search !== '') {
    return plain(400, 'Media is served by library id only: smallset://thumb/<id> or smallset://image/<id>.');
  }
  const imageId = Number(idText);
  try {
    const file = await (kind === 'thumb' ? thumbnailFile(ctx, imageId) : imageFile(ctx, imageId));
    const info = await stat(file.path);
    const body = Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      status: 200,
      headers: { 'Content-Type': file.mime, 'Content-Length': String(info.size), 'Cache-Control': 'no-cache' },
    });
  } catch (err) {
    const e = toApiError(err);
    return plain(e.code === 'not_found' || e.code === 'io_error' ? 404 : 500, e.message);
  }
}
