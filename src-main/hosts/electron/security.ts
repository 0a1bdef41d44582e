/**
 * Pure security policy for the Electron host. Kept free of runtime Electron
 * imports so that it is unit-tested on machines where Electron cannot run.
 */
import { normalize, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserWindowConstructorOptions } from 'electron';
import { securityHeaders } from '../content-security-policy.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'sandtable';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * What the app's scheme may do (protocol.registerSchemesAsPrivileged, before
 * `ready`): a standard, secure origin with fetch. Not `codeCache`: V8's code
 * cache would keep the renderer's compiled scripts in `Code Cache/` under the
 * data folder, which any process of the same user can write, outside the asar
 * integrity check the fuses turn on (scripts/fuses.ts), and V8 checks little
 * more than a script's length before running cached code for it. Bytecode
 * planted there would run in the renderer, beside the preload's bridge. Later
 * starts compile the app again instead (docs/desktop.md, section 7).
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, codeCache: false } as const;

export interface WindowBounds {
  width: number;
  height: number;
  x?: number;
  y?: number;
}

/** Options for every Sandtable window: isolated, sandboxed, no Node in the page. */
export function browserWindowOptions(preloadPath: string, bounds: WindowBounds = { width: 1280, height: 800 }, icon?: string): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    ...(icon ? { icon } : {}),
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Sandtable',
    backgroundColor: '#111418',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      // A middle click must not open links in new windows (they are denied anyway; this stops the attempt).
      disableBlinkFeatures: 'Auxclick',
    },
  };
}

/** True only for URLs served by the app's own protocol. */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Every IPC message must come from a frame that shows the app itself. */
export function isTrustedSender(frameUrl: string | undefined | null): boolean {
  return isAppUrl(frameUrl);
}

/** Navigation away from the app is never allowed (links to the web included). */
export function isNavigationAllowed(targetUrl: string): boolean {
  return isAppUrl(targetUrl);
}

/** Every permission request (camera, notifications, clipboard, ...) is denied. */
export function isPermissionGranted(_permission: string): boolean {
  return false;
}

/**
 * Maps an `app://sandtable/...` URL to a file inside the built renderer, or
 * null when the URL is foreign or tries to leave the folder.
 */
export function resolveAppAsset(rendererDir: string, url: string): string | null {
  if (!isAppUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const root = normalize(rendererDir);
  const file = normalize(join(root, pathname));
  return file.startsWith(root + sep) ? file : null;
}

/** Reads a file: URL (Electron's net.fetch in the app; any fetch-like function in tests). */
export type FileFetcher = (fileUrl: string) => Promise<Response>;

/** A copy of a response with the security headers set (a fetched file's own headers are kept otherwise). */
export function withSecurityHeaders(response: Response, headers: Record<string, string> = securityHeaders()): Response {
  const merged = new Headers(response.headers);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: merged });
}

/**
 * The handler of the app:// protocol. Electron does not run
 * session.webRequest.onHeadersReceived for responses of a protocol handler
 * (electron/electron#6021, #45865), so the CSP and the other security headers
 * are set here, on every response: files, 404s and failures alike.
 */
export function appProtocolHandler(rendererDir: string, fetchFile: FileFetcher, headers: Record<string, string> = securityHeaders()): (request: Request) => Promise<Response> {
  const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return withSecurityHeaders(new Response('Method not allowed', { status: 405 }), headers);
    const file = resolveAppAsset(rendererDir, request.url);
    if (!file) return withSecurityHeaders(notFound(), headers);
    let response: Response;
    try {
      response = await fetchFile(pathToFileURL(file).toString());
    } catch {
      response = notFound();
    }
    return withSecurityHeaders(response, headers);
  };
}

export interface DisplayArea {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
  workArea: { x: number; y: number; width: number; height: number };
}

/**
 * Where the presenter window goes: the first display other than the one the
 * console is on (the projector), else the console's display.
 */
export function presenterPlacement(displays: readonly DisplayArea[], consoleDisplayId: number): { display: DisplayArea; fullscreen: boolean } | null {
  if (displays.length === 0) return null;
  const other = displays.find((d) => d.id !== consoleDisplayId);
  if (other) return { display: other, fullscreen: true };
  return { display: displays.find((d) => d.id === consoleDisplayId) ?? displays[0]!, fullscreen: false };
}

/** The app URL of a team's projector view, or with teamId null the room view of the whole session. */
export function presenterUrl(sessionId: string, teamId: string | null): string {
  return `${APP_ENTRY_URL}#/present/${encodeURIComponent(sessionId)}${teamId === null ? '' : `/${encodeURIComponent(teamId)}`}`;
}

/** The app URL of a session's printable after-action report. */
export function reportUrl(sessionId: string, pseudonymise: boolean): string {
  return `${APP_ENTRY_URL}#/report/${encodeURIComponent(sessionId)}${pseudonymise ? '?pseudonymise=1' : ''}`;
}

/** Downloads are allowed only for files the app itself made (blob: URLs of the app origin), e.g. exports. */
export function isAppDownload(url: string): boolean {
  if (!url.startsWith('blob:')) return false;
  return isAppUrl(url.slice('blob:'.length));
}
