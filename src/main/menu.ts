import type { MenuItemConstructorOptions } from 'electron';
import type { EventPayload } from '../shared/api/events.js';

type MenuCommand = EventPayload<'app.menu'>;

/**
 * The native menu. Items that act on the page send an `app.menu` event; the page decides what
 * they mean (Undo, for one, undoes a label change unless a text field has focus).
 */
export function menuTemplate(platform: NodeJS.Platform, appName: string, send: (command: MenuCommand) => void, dev: boolean): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const view = (label: string, id: string, key: string): MenuItemConstructorOptions => ({
    label,
    accelerator: `CmdOrCtrl+${key}`,
    click: () => send({ command: 'view', view: id }),
  });
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', click: () => send({ command: 'open-folder' }) },
        { label: 'Add Sample Dataset', click: () => send({ command: 'create-sample' }) },
        { label: 'Rescan Dataset', accelerator: 'F5', click: () => send({ command: 'rescan' }) },
        { type: 'separator' },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => send({ command: 'view', view: 'export' }) },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => send({ command: 'undo' }) },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        view('Library', 'library', 'Shift+1'),
        view('Augment', 'augment', 'Shift+2'),
        view('Train && Compare', 'train', 'Shift+3'),
        view('Results', 'results', 'Shift+4'),
        view('Export', 'export', 'Shift+5'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(dev ? ([{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
      ],
    },
    { role: 'windowMenu' },
  ];
  if (mac) template.unshift({ label: appName, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] });
  return template;
}
