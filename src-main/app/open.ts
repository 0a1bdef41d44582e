import { Store } from '../store/store.ts';
import { Services, type AppContext } from './services.ts';
import type { RunnerClock } from './sessions.ts';

export interface OpenAppOptions extends Omit<AppContext, 'name'> {
  nativeBinding?: string;
  /** The wall clock (the system's unless given: tests move time on). */
  clock?: RunnerClock;
}

/** Opens the data folder (claiming it for this process) and builds the services. */
export function openApp(options: OpenAppOptions): Services {
  const store = Store.open({ dataDir: options.dataDir, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  const services = new Services(
    store,
    {
      name: 'Sandtable',
      version: options.version,
      host: options.host,
      dataDir: options.dataDir,
      scenariosDir: options.scenariosDir,
    },
    options.clock,
  );
  // Each session's last write before this start (recovering a running session writes its pause).
  const lastWrites = new Map(services.sessions.list().map((r) => [r.id, r.updatedWallMs]));
  for (const { sessionId, error, code } of services.sessions.recover()) {
    if (error && code === 'disk_full') console.error(`sandtable: session ${sessionId} was running when the app stopped: ${error}`);
    else if (error) console.error(`sandtable: session ${sessionId} could not be reopened: ${error}`);
  }
  // The room's grants and open join codes: phones that had joined stay joined.
  services.participation.restore(lastWrites);
  return services;
}
