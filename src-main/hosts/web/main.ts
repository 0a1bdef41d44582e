/**
 * `npm run serve -- [--port N] [--data DIR] [--lan ADDRESS [--lan-port N]]`: the loopback web host.
 * Prints one line `Sandtable running at http://127.0.0.1:PORT/#token=TOKEN`; with `--lan`, also
 * starts the participants' listener (HTTPS) on that address of this machine and prints
 * `Participants join at https://ADDRESS:PORT/ (certificate SHA-256 AA:BB:…)`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openApp } from '../../app/open.ts';
import { DataDirInUseError } from '../../store/database.ts';
import { defaultDataDir, packageVersion, PROJECT_ROOT } from '../paths.ts';
import { LanListener } from '../lan/server.ts';
import { AppError } from '../../app/errors.ts';
import { startWebHost } from './server.ts';

const USAGE = 'usage: npm run serve -- [--port N] [--data DIR] [--scenarios DIR] [--lan ADDRESS [--lan-port N]]';

async function main(argv: string[]): Promise<number> {
  let values: { port?: string; data?: string; scenarios?: string; lan?: string; 'lan-port'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        data: { type: 'string' },
        scenarios: { type: 'string' },
        lan: { type: 'string' },
        'lan-port': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a whole number from 0 to 65535.\n${USAGE}`);
    return 2;
  }
  const lanPort = values['lan-port'] === undefined ? 0 : Number(values['lan-port']);
  if (!Number.isInteger(lanPort) || lanPort < 0 || lanPort > 65535 || (values['lan-port'] !== undefined && values.lan === undefined)) {
    console.error(`--lan-port must be a whole number from 0 to 65535, given with --lan.\n${USAGE}`);
    return 2;
  }
  const rendererDir = join(PROJECT_ROOT, 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    console.error('The renderer has not been built yet: run `npm run build` first (npm start does this for you).');
    return 2;
  }
  const dataDir = resolve(values.data ?? defaultDataDir());
  let services;
  try {
    services = openApp({ dataDir, host: 'web', version: packageVersion(), scenariosDir: resolve(values.scenarios ?? join(PROJECT_ROOT, 'scenarios')) });
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const host = await startWebHost({ services, rendererDir, port });
  // Nothing listens beyond 127.0.0.1 unless asked: --lan here, or the console's "Let participants join"
  // (which is then started again where it was at the next start, until the facilitator stops it).
  const lan = new LanListener({ services, dataDir, rendererDir });
  services.participantListener = lan;
  console.log(`Sandtable running at ${host.url}`);
  try {
    await lan.resume(values.lan, values['lan-port'] === undefined ? undefined : lanPort);
  } catch (error) {
    const message = error instanceof AppError ? error.message : `The participants' listener could not start: ${String(error)}`;
    if (values.lan !== undefined) {
      console.error(message);
      await host.close();
      services.close();
      return 1;
    }
    console.error(`sandtable: the participants' listener was not started again: ${message}`);
  }
  const listening = lan.state().listening;
  if (listening) console.log(`Participants join at ${listening.url} (certificate SHA-256 ${listening.fingerprint})`);
  const stop = () => {
    void Promise.all([host.close(), lan.close()]).then(() => {
      services.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error('sandtable: the web host could not start:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
