/** The only two IPC channels: one generic call channel, one event channel. */
export const IPC_CALL = 'sandtable:call';
export const IPC_EVENT = 'sandtable:event';

/** What the preload exposes on `window.sandtable` (and nothing else). */
export interface PreloadBridge {
  call(method: string, input: unknown): Promise<unknown>;
  subscribe(listener: (event: unknown) => void): () => void;
}
