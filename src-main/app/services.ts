import type { MethodName, ParsedInputOf, ResultOf } from '../api/contract.ts';
import { EventHub } from './events.ts';
import { getBundledScenario, listBundledScenarios } from './library.ts';
import type { Store } from '../store/store.ts';

export interface AppContext {
  name: string;
  version: string;
  host: 'electron' | 'web';
  dataDir: string;
  /** Folder holding the bundled scenario scripts. */
  scenariosDir: string;
}

/** Who is calling: the facilitator, or a presenter view bound to one session. */
export type Grant = { role: 'facilitator' } | { role: 'presenter'; sessionId: string };

export type Handlers = {
  [M in MethodName]: (input: ParsedInputOf<M>, grant: Grant) => ResultOf<M> | Promise<ResultOf<M>>;
};

/**
 * The application: every contract method implemented on top of core + store.
 * Hosts construct one of these per data folder and bind it to their transport;
 * nothing in here knows which host is calling.
 */
export class Services {
  readonly events = new EventHub();
  readonly handlers: Handlers;

  constructor(
    readonly store: Store,
    readonly context: AppContext,
  ) {
    this.handlers = {
      'app.info': () => ({
        name: context.name,
        version: context.version,
        host: context.host,
        dataDir: context.dataDir,
      }),
      'library.list': () => listBundledScenarios(context.scenariosDir),
      'library.get': ({ id }) => getBundledScenario(context.scenariosDir, id),
    };
  }

  close(): void {
    this.store.close();
  }
}
