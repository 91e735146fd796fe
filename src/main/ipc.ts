import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../shared/api/bridge.js';
import type { CallReply } from '../shared/api/reply.js';
import type { AppContext } from '../core/context.js';
import { dispatchReply } from '../core/transport/reply.js';

/** The one invoke handler: refuses callers other than our own page, then goes through dispatch. */
export function invokeHandler(ctx: AppContext, trusted: (event: IpcMainInvokeEvent) => boolean) {
  return async (event: IpcMainInvokeEvent, method: unknown, input: unknown): Promise<CallReply> => {
    if (!trusted(event)) {
      return { ok: false, error: { code: 'invalid_input', message: 'Calls are accepted only from Smallset Studio’s own page.' } };
    }
    if (typeof method !== 'string') {
      return { ok: false, error: { code: 'unknown_method', message: 'The method name must be a string like "datasets.list".' } };
    }
    return dispatchReply(ctx, method, input);
  };
}

export function registerIpc(ipcMain: IpcMain, ctx: AppContext, trusted: (event: IpcMainInvokeEvent) => boolean): () => void {
  ipcMain.handle(IPC_INVOKE, invokeHandler(ctx, trusted));
  return () => ipcMain.removeHandler(IPC_INVOKE);
}

/** Every core event goes to the page on the one event channel, for as long as it lives. */
export function forwardEvents(ctx: AppContext, contents: WebContents): () => void {
  const off = ctx.events.onAny((event, payload) => {
    if (!contents.isDestroyed()) contents.send(IPC_EVENT, event, payload);
  });
  contents.once('destroyed', off);
  return off;
}
