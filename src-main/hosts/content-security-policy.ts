/**
 * The Content-Security-Policy both hosts apply to the renderer: Electron via
 * session response headers, the web host as an HTTP header.
 *
 * Only the app's own origin is allowed for scripts, styles, fonts and
 * connections; no inline script or style, no eval, no remote origin, no
 * plugins, no framing. Images may also come from data:/blob: URLs because
 * scenario evidence images are bundled as data.
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
  ['worker-src', "'none'"],
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
