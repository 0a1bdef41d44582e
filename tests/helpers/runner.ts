/**
 * Services on a fresh data folder, for integration tests through the
 * contract: with the engine-test scenario and a fake clock (`setup`, the
 * session runner's tests), or over the bundled scenarios (`openBundled`).
 * Every folder and service is cleaned up by `cleanup()` (call it from
 * afterEach).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { Services } from '../../src-main/app/services.ts';
import { Store } from '../../src-main/store/store.ts';
import { FakeClock } from './fake-clock.ts';
import { engineTestScenarioInput } from './scenario.ts';
import { tempDir } from './tmp.ts';

const cleanups: Array<() => void> = [];

export function cleanup(): void {
  while (cleanups.length) cleanups.pop()!();
}

export function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const scenariosDir = join(t.dir, 'scenarios');
  mkdirSync(scenariosDir);
  writeFileSync(join(scenariosDir, 'engine-test.json'), JSON.stringify(engineTestScenarioInput()));
  const dataDir = join(t.dir, 'data');
  const clock = new FakeClock();
  const open = () => {
    const services = new Services(Store.open({ dataDir }), { name: 'Sandtable', version: 't', host: 'web', dataDir, scenariosDir }, clock);
    cleanups.push(() => services.close());
    return services;
  };
  return { open, clock, dataDir };
}

/** Services over the bundled scenarios (./scenarios) on a fresh data folder, with the real clock. */
export function openBundled(): { services: Services; dataDir: string } {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const dataDir = join(t.dir, 'data');
  const services = new Services(Store.open({ dataDir }), { name: 'Sandtable', version: 't', host: 'web', dataDir, scenariosDir: join(process.cwd(), 'scenarios') });
  cleanups.push(() => services.close());
  return { services, dataDir };
}

export const facilitator = { role: 'facilitator' } as const;

/** Calls a method as the facilitator; throws with the contract error if it fails. */
export async function call(services: Services, method: string, input: unknown) {
  const response = await dispatch(services, method, input, facilitator);
  if (!response.ok) throw new Error(`${method}: ${response.error.code} ${response.error.message} ${response.error.path}`);
  return response.result as any;
}
