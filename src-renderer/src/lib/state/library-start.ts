/**
 * The library's first `library.list`, sent as this module is evaluated: it is
 * the entry's only import (main.ts), so the call leaves as soon as the first
 * script runs, before the rest of the app is evaluated, and the answer is on
 * its way (or here) when the library first renders. It imports nothing that
 * needs Svelte. `LibraryState` takes the answer as its first refresh. Only when
 * the page opens on the library: another screen may change the library before
 * it is shown (and a presenter may not list it).
 */
import type { ResultOf } from '../../../../src-main/api/contract.ts';
import { api } from '../api.ts';
import { parseRoute } from '../route.ts';

export const firstListing: Promise<ResultOf<'library.list'>> | null = api && parseRoute(window.location.hash).name === 'library' ? api.call('library.list', {}) : null;
// A failure is reported by the refresh that takes the answer; until then it is not unhandled.
firstListing?.catch(() => undefined);
