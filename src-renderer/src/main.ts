/**
 * The entry, kept as small as it can be so that it runs the moment it is
 * fetched: its one static import sends the library's first `library.list`
 * (lib/state/library-start.ts), before the rest of the app (start.ts, fetched
 * meanwhile: index.html preloads it) is evaluated. The app is mounted once
 * that answer is here too, so the first frame the library lays out already
 * has its cards — not an empty shell laid out and painted first, and laid
 * out again when they arrive. A slow answer does not hold the page: after
 * FIRST_LISTING_WAIT_MS the app is mounted without it (and says it is
 * loading); a failed one is reported by the library, as any other.
 */
import { firstListing } from './lib/state/library-start.ts';

const FIRST_LISTING_WAIT_MS = 150;

const target = document.getElementById('app');
if (!target) throw new Error('The #app element is missing from index.html');

const listed = firstListing ? Promise.race([firstListing.then(settled, settled), new Promise<void>((done) => setTimeout(done, FIRST_LISTING_WAIT_MS))]) : Promise.resolve();
function settled(): void {}

void Promise.all([import('./start.ts'), listed]).then(([app]) => app.start(target));
