import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { contentSecurityPolicy } from '../../src-main/hosts/content-security-policy.ts';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import type { InputOf, MethodName, ResultOf } from '../../src-main/api/contract.ts';
import type { ApiResponse } from '../../src-main/api/errors.ts';

/**
 * The desktop app as a user gets it: the built app in a real Electron, with
 * better-sqlite3 for Electron's ABI. Run by `npm run test:electron`, which
 * passes the binary in SANDTABLE_ELECTRON_BINARY (and skips where there is none).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const binary = process.env.SANDTABLE_ELECTRON_BINARY;
const sample = JSON.parse(readFileSync(join(ROOT, 'scenarios/sample-leaked-key.json'), 'utf8')) as ScenarioInput;
type Inject = Extract<ScenarioInput['timeline'][number], { type: 'inject' }>;
const injects = sample.timeline.filter((n): n is Inject => n.type === 'inject');

/** The bundled scenarios' titles, read from the files themselves. */
const bundledTitles = readdirSync(join(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
  .map((f) => (JSON.parse(readFileSync(join(ROOT, 'scenarios', f), 'utf8')) as ScenarioInput).meta.title);

/** Facilitator-only text of the sample that the room must never see. */
const plain = (md: string) => md.replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim().slice(0, 48);
const facilitatorOnly = [sample.guide.facilitatorBrief, ...injects.flatMap((n) => [...(n.expectedActions ?? []), ...(n.facilitatorNotes ? [n.facilitatorNotes] : [])])].map(plain);

/** Calls the contract through the window's real preload bridge (IPC to the main process). */
async function call<M extends MethodName>(page: Page, method: M, input: InputOf<M>): Promise<ApiResponse<ResultOf<M>>> {
  return page.evaluate(([m, i]) => (window as unknown as { sandtable: { call(m: string, i: unknown): Promise<never> } }).sandtable.call(m, i), [method, input] as const);
}
async function ok<M extends MethodName>(page: Page, method: M, input: InputOf<M>): Promise<ResultOf<M>> {
  const response = await call(page, method, input);
  if (!response.ok) throw new Error(`${method}: ${response.error.message}`);
  return response.result;
}

test.skip(!binary, 'run through npm run test:electron');

/** This process's environment for the app, on its own data folder (and not as plain Node). */
function appEnv(dataDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
  env.SANDTABLE_DATA_DIR = dataDir;
  return env;
}

test('the desktop app opens, runs a session with a presenter window, saves a PDF and quits cleanly', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sandtable-electron-'));
  const env = appEnv(dataDir);
  let app: ElectronApplication | undefined;
  try {
    app = await electron.launch({ executablePath: binary!, args: [ROOT], cwd: ROOT, env });
    const consoleWindow = await app.firstWindow();

    // The window opens on the app's own protocol, hardened.
    await expect(consoleWindow).toHaveTitle('Sandtable');
    expect(consoleWindow.url()).toMatch(/^app:\/\/sandtable\/index\.html/);
    expect(await consoleWindow.evaluate(() => [typeof (window as unknown as { require?: unknown }).require, typeof (window as unknown as { process?: unknown }).process])).toEqual([
      'undefined',
      'undefined',
    ]);
    // The CSP comes with every app:// response (the protocol handler sets it) and again in the page's <meta>.
    const header = await consoleWindow.evaluate(async () => (await fetch('app://sandtable/index.html')).headers.get('content-security-policy'));
    expect(header).toBe(contentSecurityPolicy());
    expect(await consoleWindow.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("script-src 'self'");
    const inlineRan = await consoleWindow.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.head.append(s);
      return (window as unknown as { __inline?: number }).__inline === 1;
    });
    expect(inlineRan, 'an inline script ran: no CSP in force').toBe(false);

    // The library lists the bundled scenarios.
    for (const title of bundledTitles) await expect(consoleWindow.getByTestId('scenario-card').filter({ hasText: title }).first()).toBeVisible();

    // A session is created and started (through the real IPC bridge), and the console shows it.
    const session = await ok(consoleWindow, 'sessions.create', {
      scenarioId: sample.meta.id,
      name: 'Desktop check',
      facilitator: 'Fran',
      teams: [{ name: 'Blue team' }],
      speed: 0,
      seed: 'electron',
    });
    await ok(consoleWindow, 'sessions.start', { sessionId: session.id });
    await consoleWindow.evaluate((id) => (location.hash = `#/sessions/${id}/team-1`), session.id);
    await expect(consoleWindow.getByText(injects[0]!.title).first()).toBeVisible();

    // A presenter window shows only room content, and may call nothing but the presenter's methods.
    const [presenter] = await Promise.all([app.waitForEvent('window'), ok(consoleWindow, 'sessions.openPresenter', { sessionId: session.id, teamId: 'team-1' })]);
    await expect(presenter.getByTestId('presenter-inject').getByRole('heading', { name: injects[0]!.title })).toBeVisible();
    const roomText = (await presenter.evaluate(() => document.body.innerText)).replace(/\s+/g, ' ');
    for (const secret of facilitatorOnly) expect(roomText, 'facilitator-only text on the presenter').not.toContain(secret);
    for (const later of injects.slice(1)) expect(roomText, 'an undelivered inject on the presenter').not.toContain(later.title);
    const denied = await call(presenter, 'sessions.list', {});
    expect(denied.ok).toBe(false);

    // The after-action report is saved as a PDF through printToPDF (the save dialog answered with a path).
    const pdfPath = join(dataDir, 'exports', 'report.pdf');
    mkdirSync(join(dataDir, 'exports'));
    await app.evaluate(({ dialog }, path) => {
      dialog.showSaveDialog = () => Promise.resolve({ canceled: false, filePath: path });
    }, pdfPath);
    const saved = await ok(consoleWindow, 'reports.savePdf', { sessionId: session.id, pseudonymise: false });
    expect(saved).toEqual({ supported: true, saved: pdfPath });
    expect(readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    if (process.platform !== 'win32') expect(statSync(pdfPath).mode & 0o777).toBe(0o600);

    // A second launch on the same data folder quits at once and leaves the first running.
    const second = spawn(binary!, [ROOT], { cwd: ROOT, env, stdio: 'ignore' });
    const code = await new Promise<number | null>((done, fail) => {
      const timer = setTimeout(() => fail(new Error('the second instance did not quit')), 30_000);
      second.once('exit', (c) => {
        clearTimeout(timer);
        done(c);
      });
    });
    expect(code).toBe(0);
    await expect(consoleWindow).toHaveTitle('Desktop check — console — Sandtable');
    expect((await ok(consoleWindow, 'sessions.list', {})).map((s) => s.id)).toContain(session.id);

    // The app quits cleanly and leaves an intact, private database.
    const proc = app.process();
    const exited = new Promise<number | null>((done) => proc.once('exit', (c) => done(c)));
    await app.close();
    app = undefined;
    expect(await exited).toBe(0);
    const db = new Database(join(dataDir, 'sandtable.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT count(*) AS n FROM sessions WHERE id = ?').get(session.id)).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    if (process.platform !== 'win32') {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, 'sandtable.db')).mode & 0o777).toBe(0o600);
    }
    expect(existsSync(join(dataDir, 'sandtable.db-wal')) ? statSync(join(dataDir, 'sandtable.db-wal')).size : 0).toBe(0);
  } finally {
    await app?.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('closing the console while the studio has unsaved changes asks first: "Stay" keeps it, "Leave anyway" closes it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sandtable-electron-'));
  let app: ElectronApplication | undefined;
  try {
    app = await electron.launch({ executablePath: binary!, args: [ROOT], cwd: ROOT, env: appEnv(dataDir) });
    const consoleWindow = await app.firstWindow();
    await expect(consoleWindow.getByTestId('scenario-card').first()).toBeVisible();
    const draft = await ok(consoleWindow, 'studio.create', { from: 'new' });
    await consoleWindow.evaluate((id) => (location.hash = `#/studio/${encodeURIComponent(id)}`), draft.draftId);
    const title = consoleWindow.getByTestId('studio-form').locator('[data-pointer="/meta/title"]').first();
    await expect(title).toBeVisible();

    // The box is answered by the test: each question asked is recorded in the main process, with the answer set before.
    type Box = typeof globalThis & { asked?: string[]; answer?: number };
    await app.evaluate(({ dialog }) => {
      const box = globalThis as Box;
      const questions: string[] = [];
      box.asked = questions;
      dialog.showMessageBoxSync = (...args: unknown[]) => {
        questions.push((args.at(-1) as { title?: string }).title ?? '');
        return box.answer ?? 0;
      };
    });
    const asked = () => app!.evaluate(() => (globalThis as Box).asked ?? []);
    /** Closes the console window as its close button does, with `answer` ready for the box. */
    const closeAnswering = (answer: number) =>
      app!.evaluate(({ BrowserWindow }, a) => {
        (globalThis as Box).answer = a;
        BrowserWindow.getAllWindows()[0]!.close();
      }, answer);

    // An edit the studio has not saved yet (it saves 0.8 s after the last keystroke): the close asks, and "Stay" keeps the window.
    await title.fill('A title not saved yet');
    await closeAnswering(0);
    await expect.poll(asked).toEqual(['Changes not saved yet']);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    await expect(title).toHaveValue('A title not saved yet');

    // Another unsaved edit: "Leave anyway" closes the window.
    await title.fill('Another title not saved yet');
    const closed = consoleWindow.waitForEvent('close');
    await closeAnswering(1).catch(() => undefined); // on Windows and Linux the app quits with its last window
    await closed;
    if (process.platform === 'darwin') expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(0);
  } finally {
    await app?.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
});
