import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../../core/context.js';
import { imageFile, thumbnailFile } from '../../core/library/media.js';
import { toApiError } from '../../core/transport/dispatch.js';
import { sendError, statusFor } from './responses.js';

export type MediaKind = 'thumb' | 'image';

/** Library ids only: a run of digits that fits a SQLite rowid, nothing a path could hide in. */
export function parseImageId(segment: string): number | undefined {
  if (!/^[1-9]\d{0,15}$/.test(segment)) return undefined;
  const id = Number(segment);
  return Number.isSafeInteger(id) ? id : undefined;
}

/**
 * GET /media/thumb/<id> and /media/image/<id>. The file is found by library id, so no request can
 * name a path. Thumbnails live under their content hash, so the ETag changes when the image does.
 */
export async function handleMedia(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: AppContext,
  kind: MediaKind,
  idSegment: string,
): Promise<void> {
  const imageId = parseImageId(idSegment);
  if (imageId === undefined) {
    sendError(res, 400, { code: 'invalid_input', message: `"${idSegment.slice(0, 40)}" is not an image id; media is served by library id only.` });
    return;
  }
  let file: { path: string; mime: string };
  let info: Stats;
  try {
    file = await (kind === 'thumb' ? thumbnailFile(ctx, imageId) : imageFile(ctx, imageId));
    info = await stat(file.path);
  } catch (err) {
    const e = toApiError(err);
    const status = e.code === 'io_error' ? 404 : statusFor(e.code);
    sendError(res, status, { code: e.code === 'io_error' ? 'not_found' : e.code, message: e.message });
    return;
  }
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers = {
    'Content-Type': file.mime,
    // Revalidate every time: a rescan can change an image under the same id; a 304 costs little.
    'Cache-Control': 'private, no-cache',
    ETag: etag,
    'Last-Modified': new Date(info.mtimeMs).toUTCString(),
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': info.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file.path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
