/**
 * The Content-Security-Policy both hosts apply to the renderer: Electron on
 * every response of its app:// protocol handler, the web host as an HTTP
 * header, and both through a <meta http-equiv> in index.html as a second layer
 * (written into the built index.html from here by electron.vite.config.ts).
 *
 * Only the app's own origin is allowed for scripts, styles, fonts and
 * connections; no inline script or style, no eval, no remote origin, no
 * plugins, no framing. Images may also come from data:/blob: URLs because
 * scenario evidence images are bundled as data. Workers only from the app's
 * own files (the studio validates drafts in one).
 */
export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['manifest-src', "'self'"],
  ['media-src', "'none'"],
  ['object-src', "'none'"],
  // The studio's validation worker: a file of the app's own origin, never a blob: or data: worker.
  ['worker-src', "'self'"],
  ['frame-src', "'none'"],
  ['child-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/**
 * The policy as a header value. `connect` adds exact sources to connect-src:
 * the web host names its own WebSocket address (`ws://127.0.0.1:PORT`), which
 * CSP Level 3 browsers already allow under 'self' but older ones do not.
 */
export function contentSecurityPolicy(options: { connect?: readonly string[] } = {}): string {
  return CSP_DIRECTIVES.map(([name, value]) => `${name} ${name === 'connect-src' && options.connect?.length ? `${value} ${options.connect.join(' ')}` : value}`).join('; ');
}

/**
 * Directives a browser ignores in a <meta http-equiv> policy (CSP3 §3.3);
 * they stay in the header only.
 */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

/** The same policy for index.html's <meta http-equiv="Content-Security-Policy">. */
export function metaContentSecurityPolicy(): string {
  return CSP_DIRECTIVES.filter(([name]) => !HEADER_ONLY.has(name))
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

/** Headers both hosts send with every renderer response. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), bluetooth=()',
  };
}

/** The placeholder index.html carries as its <meta> CSP's content until the build writes the policy in. */
export const CSP_META_PLACEHOLDER = '%SANDTABLE_CSP%';

/** index.html with the policy written into its <meta http-equiv="Content-Security-Policy">; throws if the tag is missing. */
export function injectCspMeta(html: string): string {
  const tag = /<meta http-equiv="Content-Security-Policy" content="%SANDTABLE_CSP%"\s*\/?>/;
  if (!tag.test(html))
    throw new Error(`Every HTML entry (index.html, participant.html) must carry <meta http-equiv="Content-Security-Policy" content="${CSP_META_PLACEHOLDER}" />`);
  return html.replace(tag, `<meta http-equiv="Content-Security-Policy" content="${metaContentSecurityPolicy()}" />`);
}
