/**
 * Restart child for tests/integration/participants-restart.test.ts: opens the
 * app on a data folder as a host does (recovering sessions, restoring the
 * room's grants and codes), serves the facilitator API on loopback and starts
 * the participants' listener where it was (`LanListener.resume`). On a data
 * folder without sessions it first sets up two sessions with joining open.
 * Prints `SESSION <id> <code>` for those, then
 * `READY <webPort> <webToken> <lanPort|-> <fingerprint|->`. SIGTERM closes
 * everything as the hosts do when they quit; the parent may SIGKILL it instead.
 *
 * argv: dataDir rendererDir scenariosDir [clockOffsetMs]
 */
import { openApp } from '../../src-main/app/open.ts';
import { systemClock } from '../../src-main/app/sessions.ts';
import { LanListener } from '../../src-main/hosts/lan/server.ts';
import { startWebHost } from '../../src-main/hosts/web/server.ts';
import { sessionAtDecision } from '../helpers/participants.ts';

const [dataDir, rendererDir, scenariosDir, offset = '0'] = process.argv.slice(2) as [string, string, string, string?];
const clockOffset = Number(offset);
const clock = { ...systemClock, now: () => systemClock.now() + clockOffset };

async function main(): Promise<void> {
  const services = openApp({ dataDir, scenariosDir, host: 'web', version: 'restart-test', clock });
  const web = await startWebHost({ services, rendererDir, port: 0 });
  const lan = new LanListener({ services, dataDir, rendererDir, addresses: () => [{ address: '127.0.0.1', family: 'IPv4', interface: 'lo', internal: true }] });
  services.participantListener = lan;
  if (services.sessions.list().length === 0) {
    await lan.listen('127.0.0.1', 0);
    for (let i = 0; i < 2; i++) {
      const { sessionId } = await sessionAtDecision(services);
      const { code } = services.participation.open(sessionId);
      process.stdout.write(`SESSION ${sessionId} ${code}\n`);
    }
  } else {
    await lan.resume();
  }
  const listening = lan.state().listening;
  process.stdout.write(`READY ${web.port} ${web.token} ${listening?.port ?? '-'} ${listening?.fingerprint ?? '-'}\n`);
  process.once('SIGTERM', () => {
    void Promise.all([web.close(), lan.close()]).then(() => {
      services.close();
      process.exit(0);
    });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
