/**
 * A small hash router: the screen is named by the URL fragment, so reloads and
 * the browser's back button work in both hosts without any server routing.
 *
 *   #/library             the scenario library (also the default)
 *   #/scenarios/<id>      the preview of one scenario
 *   #/setup/<scenarioId>  setting up a session of a scenario
 *   #/sessions/<sessionId>[/<teamId>]   the facilitator console (with the selected team's tab)
 *   #/present/<sessionId>/<teamId>      the projector view of one team (rendered without the app's chrome)
 *
 * To add a screen: add a member to `Route`, a case to `parseRoute` and one to
 * `routeHash`, and render it in App.svelte.
 *
 * The web host's launch link carries `#token=...`; src/lib/api.ts reads it and
 * clears it from the address bar when it is first imported. Any fragment this
 * router does not know (that one included) shows the library rather than an
 * error, so the launch link always lands somewhere useful.
 */

export type Route =
  | { name: 'library' }
  | { name: 'scenario'; id: string }
  | { name: 'setup'; scenarioId: string }
  | { name: 'session'; sessionId: string; teamId: string | null }
  | { name: 'present'; sessionId: string; teamId: string };

const SCENARIO_ID = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/** Session and team ids (UUIDs, "team-1"): the contract allows 1-64 characters. */
const SESSION_PART = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Decodes the path segments of a fragment; null if any is malformed or not an id. */
function segments(path: string, prefix: string, pattern: RegExp): string[] | null {
  if (!path.startsWith(prefix)) return null;
  const parts = path.slice(prefix.length).split('/');
  try {
    const decoded = parts.map((part) => decodeURIComponent(part));
    return decoded.every((part) => pattern.test(part)) ? decoded : null;
  } catch {
    return null;
  }
}

/** The route a URL fragment names (the library when it names none). */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const scenario = /^\/scenarios\/([^/?#]+)$/.exec(path);
  if (scenario?.[1]) {
    let id: string;
    try {
      id = decodeURIComponent(scenario[1]);
    } catch {
      return { name: 'library' };
    }
    if (SCENARIO_ID.test(id)) return { name: 'scenario', id };
  }
  const setup = segments(path, '/setup/', SCENARIO_ID);
  if (setup?.length === 1) return { name: 'setup', scenarioId: setup[0]! };
  const session = segments(path, '/sessions/', SESSION_PART);
  if (session && (session.length === 1 || session.length === 2)) return { name: 'session', sessionId: session[0]!, teamId: session[1] ?? null };
  const present = segments(path, '/present/', SESSION_PART);
  if (present?.length === 2) return { name: 'present', sessionId: present[0]!, teamId: present[1]! };
  return { name: 'library' };
}

/** The URL fragment (with its `#`) of a route, for links and navigation. */
export function routeHash(route: Route): string {
  switch (route.name) {
    case 'library':
      return '#/library';
    case 'scenario':
      return `#/scenarios/${encodeURIComponent(route.id)}`;
    case 'setup':
      return `#/setup/${encodeURIComponent(route.scenarioId)}`;
    case 'session':
      return `#/sessions/${encodeURIComponent(route.sessionId)}${route.teamId === null ? '' : `/${encodeURIComponent(route.teamId)}`}`;
    case 'present':
      return `#/present/${encodeURIComponent(route.sessionId)}/${encodeURIComponent(route.teamId)}`;
  }
}

/** The current route, kept in step with the address bar. */
export class Router {
  #route = $state<Route>({ name: 'library' });
  #window: Window;

  constructor(win: Window = window) {
    this.#window = win;
    this.#route = parseRoute(win.location.hash);
  }

  get route(): Route {
    return this.#route;
  }

  /** Follows the address bar from now on; returns the function that stops it. */
  start(): () => void {
    const sync = () => {
      this.#route = parseRoute(this.#window.location.hash);
    };
    sync();
    this.#window.addEventListener('hashchange', sync);
    return () => this.#window.removeEventListener('hashchange', sync);
  }

  /** Goes to a route, adding a history entry (so Back returns). */
  navigate(route: Route): void {
    const hash = routeHash(route);
    if (this.#window.location.hash === hash) {
      this.#route = parseRoute(hash);
      return;
    }
    this.#window.location.hash = hash;
    this.#route = route;
  }

  /** Goes to a route in place of the current history entry (e.g. switching tabs within a screen). */
  replace(route: Route): void {
    const { location, history } = this.#window;
    history.replaceState(history.state, '', location.pathname + location.search + routeHash(route));
    this.#route = route;
  }
}
