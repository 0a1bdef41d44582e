/**
 * Crash-safety child: opens the app on a data folder (recovering whatever was
 * running), then keeps a session busy, printing `ACK <sessionId> <seq>` after
 * every acknowledged call. The parent test kills it with SIGKILL at random.
 */
import { dispatch } from '../../src-main/app/dispatch.ts';
import { openApp } from '../../src-main/app/open.ts';

const [dataDir, scenariosDir] = process.argv.slice(2) as [string, string];
const services = openApp({ dataDir, scenariosDir, host: 'web', version: 'crash-test' });
const grant = { role: 'facilitator' } as const;

async function call(method: string, input: unknown): Promise<any> {
  const response = await dispatch(services, method, input, grant);
  if (!response.ok) return undefined;
  if (typeof response.result === 'object' && response.result && 'seq' in response.result) {
    process.stdout.write(`ACK ${(input as { sessionId: string }).sessionId} ${(response.result as { seq: number }).seq}\n`);
  }
  return response.result;
}

async function main(): Promise<void> {
  for (let round = 0; ; round++) {
    const sessions = (await call('sessions.list', {})) as Array<{ id: string; status: string }>;
    let session = sessions.find((s) => s.status !== 'ended');
    if (!session) {
      const created = await call('sessions.create', {
        scenarioId: 'engine-test',
        name: `Crash drill ${round}`,
        facilitator: 'Child',
        teams: [{ name: 'Red' }, { name: 'Blue' }],
        speed: 0,
      });
      process.stdout.write(`ACK ${String(created.id)} ${String(created.lastSeq)}\n`);
      session = created;
    }
    const sessionId = session!.id;
    let state = await call('sessions.get', { sessionId });
    if (state.status === 'setup') await call('sessions.start', { sessionId });
    if (state.status === 'paused') await call('sessions.resume', { sessionId });
    for (let i = 0; i < 40; i++) {
      state = await call('sessions.get', { sessionId });
      if (state.teams.every((t: any) => t.ended)) break;
      await call('sessions.addNote', { sessionId, teamId: 'team-1', text: `Observation ${i}`, objectiveId: 'obj1', rating: 'S' });
      const open = state.teams.find((t: any) => t.openDecision);
      if (open) {
        await call('sessions.recordDecision', {
          sessionId,
          teamId: open.id,
          decisionId: open.openDecision.id,
          optionId: i % 2 ? 'now' : 'wait',
          rationale: 'Because the crash test said so',
          decidedBy: 'Child',
        });
      } else {
        await call('sessions.advance', { sessionId });
      }
      if (i % 7 === 3) await call('sessions.undo', { sessionId, teamId: 'team-1' });
      if (i % 5 === 0) {
        await call('sessions.pause', { sessionId });
        await call('sessions.resume', { sessionId });
      }
    }
    await call('sessions.end', { sessionId, reason: 'Round complete' });
  }
}

void main();
