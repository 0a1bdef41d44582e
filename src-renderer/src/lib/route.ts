/**
 * The app's routes and their URL fragments, as plain functions: no Svelte
 * runtime, so the first module (lib/state/library-start.ts) can tell which
 * screen the page opens on before the rest of the app is loaded. The hash
 * router that follows the address bar is ./router.svelte.ts (which re-exports
 * these), documented there.
 */

export type Route =
  | { name: 'library' }
  | { name: 'scenario'; id: string }
  | { name: 'setup'; scenarioId: string }
  | { name: 'session'; sessionId: string; teamId: string | null }
  | { name: 'present'; sessionId: string; teamId: string }
  | { name: 'room'; sessionId: string }
  | { name: 'msel-import' }
  | { name: 'debrief'; sessionId: string }
  | { name: 'report'; sessionId: string; pseudonymise: boolean }
  | { name: 'trends'; scenarioId: string | null; teamName: string | null }
  | { name: 'improvement' }
  | { name: 'programme' }
  | { name: 'studio'; draftId: string | null };

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

/** Team names in a trends link: what the contract accepts (1-200 characters, not only spaces). */
// eslint-disable-next-line no-control-regex -- the pattern is there to refuse control characters
const TEAM_NAME = /^(?=.*\S)[^\u0000-\u001f]{1,200}$/;

/** Splits `path?query` (the query of a fragment, e.g. `#/trends?team=Blue`). */
function splitQuery(path: string): { path: string; query: URLSearchParams } {
  const at = path.indexOf('?');
  if (at < 0) return { path, query: new URLSearchParams() };
  return { path: path.slice(0, at), query: new URLSearchParams(path.slice(at + 1)) };
}

/** The route a URL fragment names (the library when it names none). */
export function parseRoute(hash: string): Route {
  // A launch token after the route (`#/present/S/T&token=…`) is api.ts's business, not the route's.
  const { path, query } = splitQuery(hash.replace(/^#/, '').replace(/&token=[^&]*/, ''));
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
  if (present?.length === 1) return { name: 'room', sessionId: present[0]! };
  if (path === '/msel-import') return { name: 'msel-import' };
  const debrief = segments(path, '/debrief/', SESSION_PART);
  if (debrief?.length === 1) return { name: 'debrief', sessionId: debrief[0]! };
  const report = segments(path, '/report/', SESSION_PART);
  if (report?.length === 1) return { name: 'report', sessionId: report[0]!, pseudonymise: query.get('pseudonymise') === '1' };
  if (path === '/improvement') return { name: 'improvement' };
  if (path === '/programme') return { name: 'programme' };
  if (path === '/studio') return { name: 'studio', draftId: null };
  const studio = segments(path, '/studio/', SESSION_PART);
  if (studio?.length === 1) return { name: 'studio', draftId: studio[0]! };
  if (path === '/trends') {
    const scenarioId = query.get('scenario');
    const teamName = query.get('team');
    return {
      name: 'trends',
      scenarioId: scenarioId !== null && SCENARIO_ID.test(scenarioId) ? scenarioId : null,
      teamName: teamName !== null && TEAM_NAME.test(teamName) ? teamName : null,
    };
  }
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
    case 'room':
      return `#/present/${encodeURIComponent(route.sessionId)}`;
    case 'msel-import':
      return '#/msel-import';
    case 'debrief':
      return `#/debrief/${encodeURIComponent(route.sessionId)}`;
    case 'report':
      return `#/report/${encodeURIComponent(route.sessionId)}${route.pseudonymise ? '?pseudonymise=1' : ''}`;
    case 'improvement':
      return '#/improvement';
    case 'programme':
      return '#/programme';
    case 'studio':
      return route.draftId === null ? '#/studio' : `#/studio/${encodeURIComponent(route.draftId)}`;
    case 'trends': {
      const query = new URLSearchParams();
      if (route.scenarioId !== null) query.set('scenario', route.scenarioId);
      if (route.teamName !== null) query.set('team', route.teamName);
      const text = query.toString();
      return `#/trends${text ? `?${text}` : ''}`;
    }
  }
}
