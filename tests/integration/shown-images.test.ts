import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { buildScenarioBundle } from '../../src-main/app/interop.ts';
import { openApp } from '../../src-main/app/open.ts';
import type { Services } from '../../src-main/app/services.ts';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server.ts';
import { rawRequest } from '../helpers/http.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { call as direct } from '../helpers/runner.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * A projector (a presenter grant, through the real web host) and a phone fetch
 * only the images their screens show: delivered evidence, not evidence of an
 * inject still to come, held back until asked for, addressed to other roles or
 * named by no inject. Every refusal reads the same whether or not the file
 * exists. The facilitator's console may fetch any image of the scenario.
 */

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const DATA_URL = `data:image/png;base64,${PNG.toString('base64')}`;

let host: WebHost;
let services: Services;
const data = tempDir();
const renderer = tempDir();

beforeAll(async () => {
  writeFileSync(join(renderer.dir, 'index.html'), '<!doctype html><title>Sandtable</title>');
  services = openApp({ dataDir: data.dir, host: 'web', version: '0.0.0-test', scenariosDir: join(process.cwd(), 'scenarios') });
  host = await startWebHost({ services, rendererDir: renderer.dir, port: 0 });
  const input = engineTestScenarioInput();
  input.meta.id = 'with-images';
  input.formatVersion = 1.1;
  input.roles = [
    { id: 'legal', name: 'Legal' },
    { id: 'comms', name: 'Communications' },
  ];
  const image = (id: string, extra: object = {}) => ({ id, kind: 'image' as const, caption: id, asset: `assets/${id}.png`, alt: id, ...extra });
  input.evidence = [
    image('delivered'),
    image('later'),
    image('held', { onRequest: { question: 'Can we see the diagram?' } }),
    image('legal-only', { audience: ['legal'] }),
    image('facilitator-only'),
  ];
  Object.assign(
    input.timeline.find((n) => n.id === 'i1')!,
    { evidence: ['delivered', 'held', 'legal-only'] },
  );
  Object.assign(
    input.timeline.find((n) => n.id === 'i2')!,
    { evidence: ['later'] },
  );
  const bundle = await buildScenarioBundle(JSON.stringify(input), () => PNG);
  const imported = await dispatch(services, 'library.importBundle', { base64: bundle.content.toString('base64') }, { role: 'facilitator' });
  expect(imported).toMatchObject({ ok: true, result: { ok: true } });
});

afterAll(async () => {
  await host.close();
  services.close();
  data.cleanup();
  renderer.cleanup();
});

async function call(
  token: string,
  method: string,
  input: unknown,
): Promise<{ status: number; body: { ok: boolean; result?: { dataUrl: string }; error?: { code: string; message: string; path: string } } }> {
  const res = await rawRequest(host.port, {
    method: 'POST',
    path: '/api/call',
    headers: { 'Content-Type': 'application/json', Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${token}` },
    body: JSON.stringify({ method, input }),
  });
  return { status: res.status, body: JSON.parse(res.body) };
}

async function facilitatorCall<T>(method: string, input: unknown): Promise<T> {
  const res = await call(host.token, method, input);
  if (!res.body.ok) throw new Error(`${method}: ${JSON.stringify(res.body.error)}`);
  return res.body.result as T;
}

const refusal = (path: string) => ({ ok: false, error: { code: 'not_found', path: '/path', message: `This screen shows no image ${JSON.stringify(path)}.` } });

describe('images on the projector', () => {
  it('are only those the presenter views show, refused alike whether or not the file exists', async () => {
    const session = await facilitatorCall<{ id: string }>('sessions.create', {
      scenarioId: 'with-images',
      name: 'Drill',
      facilitator: 'F',
      teams: [{ name: 'Red' }, { name: 'Blue' }],
      speed: 0,
    });
    const sessionId = session.id;
    const opened = await facilitatorCall<{ url: string }>('sessions.openPresenter', { sessionId });
    const presenter = new URL(opened.url).hash.split('token=')[1]!;
    const asset = async (path: string) => (await call(presenter, 'presenter.asset', { sessionId, path })).body;

    // Before the start nothing is on screen.
    expect(await asset('assets/delivered.png')).toMatchObject(refusal('assets/delivered.png'));
    await facilitatorCall('sessions.start', { sessionId });

    // The first inject is on screen: its image shows (the phone filter by role does not apply to the room, which labels it).
    expect(await asset('assets/delivered.png')).toEqual({ ok: true, result: { dataUrl: DATA_URL } });
    expect(await asset('assets/legal-only.png')).toEqual({ ok: true, result: { dataUrl: DATA_URL } });
    // Not yet delivered, held back, named by no inject, not in the scenario at all, outside its folder: the same answer.
    for (const path of ['assets/later.png', 'assets/held.png', 'assets/facilitator-only.png', 'assets/missing.png', '../sandtable.db', 'scenario.json']) {
      expect(await asset(path), path).toEqual(refusal(path));
    }
    // The facilitator's console previews what is to come.
    expect((await call(host.token, 'presenter.asset', { sessionId, path: 'assets/later.png' })).body).toEqual({ ok: true, result: { dataUrl: DATA_URL } });
    expect((await call(host.token, 'presenter.asset', { sessionId, path: 'assets/facilitator-only.png' })).body).toEqual({ ok: true, result: { dataUrl: DATA_URL } });

    // Revealed to one team, the held image is on the room screen.
    await facilitatorCall('sessions.revealEvidence', { sessionId, teamId: 'team-2', evidenceId: 'held' });
    expect(await asset('assets/held.png')).toEqual({ ok: true, result: { dataUrl: DATA_URL } });

    // Once the teams move on to the next inject, that one's image shows and the first one's no longer does.
    await facilitatorCall('sessions.advance', { sessionId });
    const room = await call(presenter, 'presenter.room', { sessionId });
    expect((room.body.result as unknown as { teams: Array<{ inject: { id: string } }> }).teams.map((t) => t.inject.id)).toEqual(['i2', 'i2']);
    expect(await asset('assets/later.png')).toEqual({ ok: true, result: { dataUrl: DATA_URL } });
    expect(await asset('assets/delivered.png')).toEqual(refusal('assets/delivered.png'));

    // A presenter of another session gets nothing of this one.
    const other = await facilitatorCall<{ id: string }>('sessions.create', { scenarioId: 'with-images', name: 'Other', facilitator: 'F', teams: [{ name: 'Red' }] });
    const otherToken = new URL((await facilitatorCall<{ url: string }>('sessions.openPresenter', { sessionId: other.id })).url).hash.split('token=')[1]!;
    expect((await call(otherToken, 'presenter.asset', { sessionId, path: 'assets/later.png' })).body).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('images on a phone', () => {
  it('are only those the participant’s screen shows: their team’s, their role’s, held ones once revealed', async () => {
    const created = (await direct(services, 'sessions.create', {
      scenarioId: 'with-images',
      name: 'Phones',
      facilitator: 'F',
      teams: [{ name: 'Red' }, { name: 'Blue' }],
      speed: 0,
    })) as { id: string };
    const sessionId = created.id;
    const opened = (await direct(services, 'sessions.openParticipation', { sessionId })) as { code: string };
    const grantOf = (name: string, teamId: string, role?: string) => {
      const joined = services.participation.join({ code: opened.code, name, teamId, ...(role ? { role } : {}) }, '192.0.2.1');
      return { role: 'participant', sessionId, teamId, participantId: joined.participantId } as const;
    };
    const legal = grantOf('Lee', 'team-1', 'legal');
    const comms = grantOf('Cam', 'team-1', 'comms');
    const blue = grantOf('Bo', 'team-2');
    const asset = (grant: typeof legal, path: string) => dispatch(services, 'participant.asset', { path }, grant);
    await direct(services, 'sessions.start', { sessionId });

    expect(await asset(legal, 'assets/delivered.png')).toEqual({ ok: true, result: { dataUrl: DATA_URL } });
    expect(await asset(legal, 'assets/legal-only.png')).toEqual({ ok: true, result: { dataUrl: DATA_URL } });
    expect(await asset(comms, 'assets/delivered.png')).toEqual({ ok: true, result: { dataUrl: DATA_URL } });
    for (const path of ['assets/legal-only.png', 'assets/held.png', 'assets/later.png', 'assets/facilitator-only.png', 'assets/missing.png']) {
      expect(await asset(comms, path), path).toEqual(refusal(path));
    }
    // A held image revealed to the other team stays closed to this one.
    await direct(services, 'sessions.revealEvidence', { sessionId, teamId: 'team-2', evidenceId: 'held' });
    expect(await asset(blue, 'assets/held.png')).toEqual({ ok: true, result: { dataUrl: DATA_URL } });
    expect(await asset(legal, 'assets/held.png')).toEqual(refusal('assets/held.png'));
  });
});
