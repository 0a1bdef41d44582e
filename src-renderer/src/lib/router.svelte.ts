/**
 * A small hash router: the screen is named by the URL fragment, so reloads and
 * the browser's back button work in both hosts without any server routing.
 *
 *   #/library             the scenario library (also the default)
 *   #/scenarios/<id>      the preview of one scenario
 *   #/setup/<scenarioId>  setting up a session of a scenario
 *   #/sessions/<sessionId>[/<teamId>]   the facilitator console (with the selected team's tab)
 *   #/present/<sessionId>/<teamId>      the projector view of one team (rendered without the app's chrome)
 *   #/present/<sessionId>               the room view: every team of the session on one projector screen
 *   #/msel-import         importing an MSEL spreadsheet (CSV) as a new draft scenario
 *   #/debrief/<sessionId>               the debrief of a session (timings, decisions, coverage, objectives, improvement plan)
 *   #/report/<sessionId>[?pseudonymise=1]  the printable after-action report of a session
 *   #/trends[?scenario=<id>|?team=<name>]  key times and improvement-plan items across sessions
 *   #/improvement                       the improvement plan across sessions (filters, exports)
 *   #/programme                         framework coverage across sessions, with cadence alerts (filters, exports)
 *   #/studio[/<draftId>]                the scenario studio: the drafts, or one draft open for editing
 *
 * To add a screen: add a member to `Route`, a case to `parseRoute` and one to
 * `routeHash` (all three in ./route.ts), and render it in App.svelte.
 *
 * The web host's launch link carries `#token=...`; src/lib/api.ts reads it and
 * clears it from the address bar when it is first imported. Any fragment this
 * router does not know (that one included) shows the library rather than an
 * error, so the launch link always lands somewhere useful.
 */

import { parseRoute, routeHash, type Route } from './route.ts';

export { parseRoute, routeHash, type Route };

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
