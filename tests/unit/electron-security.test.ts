import { describe, expect, it } from 'vitest';
import { CSP_DIRECTIVES, contentSecurityPolicy } from '../../src-main/hosts/content-security-policy.ts';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  browserWindowOptions,
  isAppDownload,
  isAppUrl,
  isNavigationAllowed,
  isPermissionGranted,
  isTrustedSender,
  presenterPlacement,
  presenterUrl,
  reportUrl,
  resolveAppAsset,
} from '../../src-main/hosts/electron/security.ts';

describe('BrowserWindow options', () => {
  const options = browserWindowOptions('/app/out/preload/index.cjs');
  const prefs = options.webPreferences!;

  it('isolates and sandboxes the renderer with no Node access', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and risky features off', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('loads the CommonJS preload it was given', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });

  it('keeps the size it is given', () => {
    expect(browserWindowOptions('/p.cjs', { width: 1500, height: 900, x: 10, y: 20 })).toMatchObject({ width: 1500, height: 900, x: 10, y: 20 });
  });
});

describe('Content-Security-Policy', () => {
  const csp = contentSecurityPolicy();

  it('allows no inline script or style and no eval', () => {
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-hashes');
    expect(csp).not.toContain('wasm-unsafe-eval');
  });

  it('names no remote origin and no wildcard', () => {
    for (const [, value] of CSP_DIRECTIVES) {
      for (const source of value.split(/\s+/)) {
        expect(["'self'", "'none'", 'data:', 'blob:']).toContain(source);
      }
    }
    expect(csp).not.toMatch(/https?:/);
    expect(csp).not.toContain('*');
  });

  it('starts from default-src none and forbids framing, plugins and base changes', () => {
    expect(csp.startsWith("default-src 'none'")).toBe(true);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("script-src 'self'");
  });

  it("lets the renderer start workers from its own files only (the studio's validation worker), never from blob: or data:", () => {
    expect(csp).toContain("worker-src 'self'");
    expect(CSP_DIRECTIVES.find(([name]) => name === 'worker-src')?.[1]).toBe("'self'");
    expect(CSP_DIRECTIVES.find(([name]) => name === 'child-src')?.[1]).toBe("'none'");
  });
});

describe('navigation, senders and permissions', () => {
  it('recognises only the app origin', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://sandtable/assets/x.js')).toBe(true);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('https://sandtable/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl('')).toBe(false);
  });

  it('trusts IPC only from app frames', () => {
    expect(isTrustedSender('app://sandtable/index.html')).toBe(true);
    expect(isTrustedSender('https://example.com/')).toBe(false);
    expect(isTrustedSender('about:blank')).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('denies navigation to the web and to files', () => {
    expect(isNavigationAllowed('https://example.com/')).toBe(false);
    expect(isNavigationAllowed('file:///home/user/')).toBe(false);
    expect(isNavigationAllowed('javascript:alert(1)')).toBe(false);
    expect(isNavigationAllowed('app://sandtable/index.html')).toBe(true);
  });

  it('denies every permission', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      expect(isPermissionGranted(permission)).toBe(false);
    }
  });
});

describe('the app scheme', () => {
  it('is a standard, secure scheme with fetch, and keeps no compiled code in the user-writable data folder (no V8 code cache)', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ standard: true, secure: true, supportFetchAPI: true, codeCache: false });
  });
});

describe('app protocol file resolution', () => {
  const root = '/opt/sandtable/out/renderer';

  it('maps app URLs into the renderer folder', () => {
    expect(resolveAppAsset(root, 'app://sandtable/')).toBe(`${root}/index.html`);
    expect(resolveAppAsset(root, 'app://sandtable/assets/index.js')).toBe(`${root}/assets/index.js`);
  });

  it('refuses to leave the renderer folder', () => {
    // The URL parser folds dot segments (plain or %2e-encoded) before we see them.
    expect(resolveAppAsset(root, 'app://sandtable/../../etc/passwd')).toBe(`${root}/etc/passwd`);
    expect(resolveAppAsset(root, 'app://sandtable/%2e%2e/%2e%2e/etc/passwd')).toBe(`${root}/etc/passwd`);
    // Encoded slashes survive the parser and are caught after decoding.
    expect(resolveAppAsset(root, 'app://sandtable/..%2f..%2fsecret')).toBeNull();
    expect(resolveAppAsset(root, 'app://other/index.html')).toBeNull();
    expect(resolveAppAsset(root, 'app://sandtable/%E0%A4%A')).toBeNull();
  });
});

describe('presenter window placement', () => {
  const area = (id: number, x: number) => ({ id, bounds: { x, y: 0, width: 1920, height: 1080 }, workArea: { x, y: 0, width: 1920, height: 1040 } });

  it('goes full screen on a display other than the console', () => {
    expect(presenterPlacement([area(1, 0), area(2, 1920)], 1)).toEqual({ display: area(2, 1920), fullscreen: true });
    expect(presenterPlacement([area(1, 0), area(2, 1920)], 2)).toEqual({ display: area(1, 0), fullscreen: true });
  });

  it('stays windowed on the only display', () => {
    expect(presenterPlacement([area(1, 0)], 1)).toEqual({ display: area(1, 0), fullscreen: false });
    expect(presenterPlacement([], 1)).toBeNull();
  });

  it('points at the app-protocol presenter route', () => {
    expect(presenterUrl('s 1', 'team-1')).toBe('app://sandtable/index.html#/present/s%201/team-1');
    expect(isAppUrl(presenterUrl('s', 't'))).toBe(true);
    // The room view of the whole session: no team in the route.
    expect(presenterUrl('s 1', null)).toBe('app://sandtable/index.html#/present/s%201');
  });
});

describe('report URL', () => {
  it('points at the app-protocol report route', () => {
    expect(reportUrl('s 1', false)).toBe('app://sandtable/index.html#/report/s%201');
    expect(reportUrl('s', true)).toBe('app://sandtable/index.html#/report/s?pseudonymise=1');
    expect(isAppUrl(reportUrl('s', true))).toBe(true);
  });
});

describe('downloads', () => {
  it('allows only blobs the app made', () => {
    expect(isAppDownload('blob:app://sandtable/2f6b1c3e-0000-4000-8000-000000000000')).toBe(true);
    expect(isAppDownload('blob:https://evil.example.com/123')).toBe(false);
    expect(isAppDownload('https://example.com/file.exe')).toBe(false);
    expect(isAppDownload('data:text/plain,hi')).toBe(false);
    expect(isAppDownload('blob:app://other/1')).toBe(false);
  });
});

describe('middle click', () => {
  it('is disabled in the page (Electronegativity AUXCLICK)', () => {
    expect(browserWindowOptions('/p.cjs').webPreferences!.disableBlinkFeatures).toBe('Auxclick');
  });
});

describe('window icon', () => {
  it('is set when given and left to the platform otherwise', () => {
    expect(browserWindowOptions('/p.cjs', undefined, '/app/resources/icons/256x256.png').icon).toBe('/app/resources/icons/256x256.png');
    expect('icon' in browserWindowOptions('/p.cjs')).toBe(false);
  });
});
