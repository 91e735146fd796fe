import type { IpcMainInvokeEvent } from 'electron';

/**
 * Is this frame our own page? The top frame of the page we loaded: the same file (packaged) or
 * the same origin (the dev server). Subframes and anything navigated elsewhere are strangers.
 */
export function isOwnPage(frameUrl: string, pageUrl: string): boolean {
  let frame: URL;
  let page: URL;
  try {
    frame = new URL(frameUrl);
    page = new URL(pageUrl);
  } catch {
    return false;
  }
  if (page.protocol === 'file:') return frame.protocol === 'file:' && frame.pathname === page.pathname;
  return frame.origin === page.origin;
}

export function trustedSender(pageUrl: () => string | undefined) {
  return (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    const page = pageUrl();
    return frame !== null && frame.parent === null && page !== undefined && isOwnPage(frame.url, page);
  };
}
