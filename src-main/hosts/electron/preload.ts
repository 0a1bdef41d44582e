/**
 * The sandboxed preload: exposes exactly the contract's two operations on
 * `window.sandtable` and nothing else — no ipcRenderer, no Node.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL, IPC_EVENT, type PreloadBridge } from './channels.ts';

const bridge: PreloadBridge = {
  call: (method, input) => ipcRenderer.invoke(IPC_CALL, method, input),
  subscribe: (listener) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('sandtable', bridge);
