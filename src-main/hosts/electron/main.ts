/**
 * The Electron host: the product's desktop shell. Deliberately thin — every
 * decision about what is safe comes from ./security.ts (unit-tested), and
 * every method is served by the same `dispatch` as the web host.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, screen, session } from 'electron';
import { apiError } from '../../api/errors.ts';
import { dispatch } from '../../app/dispatch.ts';
import { openApp } from '../../app/open.ts';
import type { Grant, Services } from '../../app/services.ts';
import { DataDirInUseError } from '../../store/database.ts';
import { makePrivate, writePrivateFile } from '../../store/private-files.ts';
import { LanListener } from '../lan/server.ts';
import { IPC_CALL, IPC_EVENT } from './channels.ts';
import { electronDownloadSaver, saveDialogFilters, type AskSavePath } from './export-saver.ts';
import { chooseElectronBinding } from './native-binding.ts';
import { leavesAnyway, UNSAVED_CHANGES_PROMPT } from './unload-guard.ts';
import { bringConsoleForward } from './single-instance.ts';
import { projectorsToReopen, PROJECTORS_FILE, rememberedProjectors, withoutProjector, withProjector, type RememberedProjector } from './projector-state.ts';
import { restoreWindowState, WINDOW_STATE_FILE, windowStateToSave } from './window-state.ts';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  appProtocolHandler,
  browserWindowOptions,
  isAppDownload,
  isNavigationAllowed,
  isPermissionGranted,
  isTrustedSender,
  presenterPlacement,
  presenterUrl,
  reportUrl,
} from './security.ts';

// A packaged app is a production build: dispatch does not check its answers against the result schemas (tests and development do).
if (app.isPackaged) process.env.SANDTABLE_CHECK_RESULTS ??= '0';

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

const rendererDir = join(import.meta.dirname, '../renderer');
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');
/** The window icon (Linux, Windows), rendered from resources/icon.svg by scripts/icons.ts; macOS takes the bundle's. */
const iconPath = join(import.meta.dirname, '../../resources/icons/256x256.png');
let services: Services | undefined;
/** The participants' listener, once the services are open. */
let lan: LanListener | undefined;
/** Presenter windows may only read the session they show: webContents id -> grant. */
const presenterGrants = new Map<number, Grant>();
let consoleWindow: BrowserWindow | undefined;
/** Set once the app is quitting (unset if the quit stops): the projectors closing then are reopened at the next start, not forgotten. */
let quitting = false;

/** Opens the console where the facilitator left it (on a display that is still there). */
function createConsoleWindow(): BrowserWindow {
  const stateFile = join(app.getPath('userData'), WINDOW_STATE_FILE);
  let saved: unknown = null;
  try {
    saved = JSON.parse(readFileSync(stateFile, 'utf8'));
  } catch {
    // first run, or an unreadable file: use the defaults
  }
  const { bounds, maximized } = restoreWindowState(saved, screen.getAllDisplays());
  const win = new BrowserWindow(browserWindowOptions(preloadPath, bounds, iconPath));
  win.once('ready-to-show', () => {
    if (maximized) win.maximize();
    win.show();
  });
  win.on('close', () => {
    try {
      writePrivateFile(stateFile, JSON.stringify(windowStateToSave(win.getNormalBounds(), win.isMaximized())));
    } catch (error) {
      console.error('sandtable: could not remember the window position:', error);
    }
  });
  // The studio keeps the page while a draft has unsaved changes; Electron would keep the window (and stop a quit) without a word.
  win.webContents.on('will-prevent-unload', (event) => {
    if (leavesAnyway(dialog.showMessageBoxSync(win, UNSAVED_CHANGES_PROMPT))) {
      event.preventDefault(); // the beforeunload is overridden: the window closes (or the app quits) anyway
    } else {
      quitting = false; // the window stays, so a quit under way has stopped: projectors closed from now on are forgotten again
    }
  });
  forwardEvents(win, { role: 'facilitator' });
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

/** Pushes to a window what its grant may hear (decided in the app layer), until it closes. */
function forwardEvents(win: BrowserWindow, grant: Grant): void {
  if (!services) return;
  const unsubscribe = services.events.subscribe(grant, (pushed) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, pushed);
  });
  win.on('closed', unsubscribe);
}

function harden(): void {
  // The CSP is set by the app:// handler below on every response (session.webRequest.onHeadersReceived
  // never sees protocol-handler responses: electron/electron#6021, #45865) and again by index.html's <meta>.
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(isPermissionGranted(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => isPermissionGranted(permission));
  // Exports are saved through the system's save dialog; nothing else may start a download.
  session.defaultSession.on('will-download', (event, item) => {
    if (!isAppDownload(item.getURL())) {
      event.preventDefault();
      return;
    }
    // An export holds names and rationales: once saved, only this account may read it.
    item.once('done', (_e, state) => {
      if (state === 'completed') makePrivate(item.getSavePath());
    });
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isNavigationAllowed(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isNavigationAllowed(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  // Every app:// response carries the CSP itself: onHeadersReceived above never sees protocol responses.
  protocol.handle(
    APP_SCHEME,
    appProtocolHandler(rendererDir, (url) => net.fetch(url)),
  );
}

/** The system's save dialog, over the console when it is open. */
const askSavePath: AskSavePath = (options) => {
  const parent = consoleWindow && !consoleWindow.isDestroyed() ? consoleWindow : undefined;
  return parent ? dialog.showSaveDialog(parent, options) : dialog.showSaveDialog(options);
};

/** The display the console is on (the primary one without a console). */
function consoleDisplayId(): number {
  return consoleWindow && !consoleWindow.isDestroyed() ? screen.getDisplayMatching(consoleWindow.getBounds()).id : screen.getPrimaryDisplay().id;
}

/** The projectors remembered in the data folder (projector-state.ts). */
function readProjectors(): RememberedProjector[] {
  try {
    return rememberedProjectors(JSON.parse(readFileSync(join(app.getPath('userData'), PROJECTORS_FILE), 'utf8')));
  } catch {
    return []; // none yet, or an unreadable file: nothing reopens by itself
  }
}

function writeProjectors(content: { projectors: RememberedProjector[] }): void {
  try {
    writePrivateFile(join(app.getPath('userData'), PROJECTORS_FILE), JSON.stringify(content));
  } catch (error) {
    console.error('sandtable: could not remember the projector windows:', error);
  }
}

/** Opens a presenter window (a team's projector, or with teamId null the room view) where `placement` says, and remembers it until the facilitator closes it. */
function openProjector(
  sessionId: string,
  teamId: string | null,
  placement: { display: { id: number; workArea: { x: number; y: number; width: number; height: number } }; fullscreen: boolean } | null,
): void {
  const area = placement?.display.workArea;
  const win = new BrowserWindow(
    browserWindowOptions(preloadPath, area ? { x: area.x, y: area.y, width: Math.min(area.width, 1280), height: Math.min(area.height, 720) } : undefined, iconPath),
  );
  const id = win.webContents.id;
  const grant: Grant = { role: 'presenter', sessionId };
  presenterGrants.set(id, grant);
  forwardEvents(win, grant);
  writeProjectors(withProjector(readProjectors(), { sessionId, teamId, displayId: placement?.display.id ?? null }));
  win.on('closed', () => {
    presenterGrants.delete(id);
    if (!quitting) writeProjectors(withoutProjector(readProjectors(), sessionId, teamId));
  });
  win.once('ready-to-show', () => {
    if (placement?.fullscreen) win.setFullScreen(true);
    win.show();
  });
  void win.loadURL(presenterUrl(sessionId, teamId));
}

function bindContract(svc: Services): void {
  ipcMain.handle(IPC_CALL, async (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url)) {
      return { ok: false, error: apiError('forbidden', 'This frame may not call Sandtable.') };
    }
    return dispatch(svc, method, input, presenterGrants.get(event.sender.id) ?? { role: 'facilitator' });
  });
  svc.presenterOpener = (sessionId, teamId) => {
    const displays = screen.getAllDisplays();
    openProjector(sessionId, teamId, presenterPlacement(displays, consoleDisplayId()));
    return { url: null, opened: true };
  };
  // Exports, archives and MSELs: main asks where, writes the file there, and the page learns only the path.
  svc.downloadSaver = electronDownloadSaver(askSavePath, () => app.getPath('downloads'));
  svc.pdfSaver = async (sessionId, pseudonymise) => {
    // Render the same print-styled report view off screen, then print it to PDF.
    const win = new BrowserWindow(browserWindowOptions(preloadPath, { width: 1240, height: 1754 })); // never shown: show is false
    try {
      await win.loadURL(reportUrl(sessionId, pseudonymise));
      for (let i = 0; i < 100; i++) {
        if (await win.webContents.executeJavaScript('Boolean(document.querySelector("[data-report-ready]"))')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const pdf = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4', preferCSSPageSize: true });
      const name = `after-action-report-${sessionId}.pdf`;
      const choice = await askSavePath({ defaultPath: name, filters: saveDialogFilters(name) });
      if (choice.canceled || !choice.filePath) return null;
      writePrivateFile(choice.filePath, pdf);
      return choice.filePath;
    } finally {
      win.destroy();
    }
  };
}

/**
 * `SANDTABLE_SMOKE=1`: the desktop workflow's check that a packaged app starts (fuses flipped, app.asar
 * only, the binding from app.asar.unpacked): open the store and the console, exit 0 once the page has
 * rendered, 1 on any failure (no dialog, which would wait for a click on a runner).
 */
const smoke = process.env.SANDTABLE_SMOKE === '1';

async function start(): Promise<void> {
  // Another data folder (tests, a second set of exercises); the single-instance lock follows it.
  if (process.env.SANDTABLE_DATA_DIR) app.setPath('userData', process.env.SANDTABLE_DATA_DIR);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // A second launch quits at once (it cannot take the lock). During start-up there is no console to
  // bring forward yet; the one being opened is shown when ready, so that launch is simply absorbed.
  app.on('second-instance', () => {
    if (app.isReady() && services) consoleWindow = bringConsoleForward(consoleWindow, createConsoleWindow);
  });
  await app.whenReady();
  const dataDir = app.getPath('userData');
  try {
    // better-sqlite3 compiled for this Electron (never Node's build in node_modules): see native-binding.ts.
    const { version: betterSqlite3 } = createRequire(import.meta.url)('better-sqlite3/package.json') as { version: string };
    const binding = chooseElectronBinding({ root: app.getAppPath(), abi: process.versions.modules, betterSqlite3, platform: process.platform, arch: process.arch });
    if (!binding.ok) throw new Error(`SQLite for Electron is missing: ${binding.reason}. Start Sandtable with \`npm start\`, which obtains it.`);
    services = openApp({
      dataDir,
      host: 'electron',
      version: app.getVersion(),
      scenariosDir: join(app.getAppPath(), 'scenarios'),
      nativeBinding: binding.file,
    });
  } catch (error) {
    const message = error instanceof DataDirInUseError ? error.message : `Sandtable could not open ${dataDir}: ${String(error)}`;
    if (smoke) {
      console.error(`sandtable smoke: ${message}`);
      app.exit(1);
      return;
    }
    dialog.showErrorBox('Sandtable cannot start', message);
    app.quit();
    return;
  }
  harden();
  bindContract(services);
  // The participants' listener starts only from the console's "Let participants join", on the address chosen there,
  // and again where it was at the next start (phones that joined reconnect by themselves) until the facilitator stops it.
  lan = new LanListener({ services, dataDir, rendererDir });
  services.participantListener = lan;
  lan.resume().catch((error: unknown) => console.error("sandtable: the participants' listener was not started again:", error instanceof Error ? error.message : error));
  consoleWindow = createConsoleWindow();
  if (smoke) smokeCheck(consoleWindow);
  // The room's screens come back by themselves after a restart mid-exercise (as the web host's projector tab reconnects); the others are forgotten.
  if (!smoke) {
    const reopen = projectorsToReopen({ projectors: readProjectors() }, services.sessions.list(), screen.getAllDisplays(), consoleDisplayId(), Date.now());
    writeProjectors({ projectors: [] });
    for (const p of reopen) openProjector(p.sessionId, p.teamId, p.display ? { display: p.display, fullscreen: p.fullscreen } : null);
  }
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) consoleWindow = createConsoleWindow();
  });
}

/** Exits 0 once the console's page has rendered into #app (its script ran under the CSP), else 1. */
function smokeCheck(win: BrowserWindow): void {
  const done = (code: number, why: string) => {
    console.error(`sandtable smoke: ${why}`);
    services?.close();
    app.exit(code);
  };
  win.webContents.once('did-fail-load', (_event, code, description, url) => done(1, `${url} failed to load: ${code} ${description}`));
  win.webContents.once('did-finish-load', () => {
    // The listener's promise is not awaited by Electron: a failed probe (window gone) must still end the smoke run.
    void (async () => {
      for (let i = 0; i < 100; i++) {
        if (await win.webContents.executeJavaScript('(document.getElementById("app")?.childElementCount ?? 0) > 0')) {
          done(0, 'the console rendered');
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      done(1, 'the console page loaded but rendered nothing within 10 s');
    })().catch((error: unknown) => done(1, `the console could not be probed: ${String(error)}`));
  });
}

app.on('before-quit', () => {
  quitting = true;
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
// Closed, not stopped: it starts again where it was at the next start.
app.on('will-quit', () => void lan?.close());
app.on('will-quit', () => services?.close());

void start();
