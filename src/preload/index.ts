import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT, IPC_INVOKE, type SmallsetBridge } from '../shared/api/bridge.js';
import type { CallReply } from '../shared/api/reply.js';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

// One IPC listener for the page's lifetime; subscriptions live here, not in ipcRenderer.
ipcRenderer.on(IPC_EVENT, (_event, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

/** The page gets exactly this: no ipcRenderer, no channel names, no Node. */
const bridge: SmallsetBridge = {
  invoke(method, input) {
    if (typeof method !== 'string') return Promise.reject(new TypeError('method must be a string'));
    return ipcRenderer.invoke(IPC_INVOKE, method, input) as Promise<CallReply>;
  },
  on(event, listener) {
    if (typeof event !== 'string' || typeof listener !== 'function') throw new TypeError('on(event: string, listener: function)');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
};

contextBridge.exposeInMainWorld('smallset', bridge);
