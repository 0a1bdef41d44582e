/**
 * What `ParticipationService.restore()` takes back at a start, and what it
 * drops, in process: grants at rest that the log does not back (a join that
 * never committed, a participant removed while the disk refused the
 * revocation), and that `authenticate` answers from memory alone.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src-main/app/open.ts';
import { HOT_WASH_GRANT_MS, REFUSALS, ROOM_IDLE_MS } from '../../src-main/app/participation.ts';
import { systemClock } from '../../src-main/app/sessions.ts';
import type { Services } from '../../src-main/app/services.ts';
import { LanListener } from '../../src-main/hosts/lan/server.ts';
import { fakeParticipantBuild, sessionAtDecision } from '../helpers/participants.ts';
import { call } from '../helpers/runner.ts';
import { tempDir } from '../helpers/tmp.ts';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const dirs: Array<{ cleanup: () => void }> = [];

/** Whether anything accepts a TCP connection on 127.0.0.1:port. */
function fetchStatus(port: number): Promise<'open' | 'refused'> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', () => resolve('refused'));
  });
}

function open(dataDir: string, clockOffsetMs = 0): Services {
  const clock = { ...systemClock, now: () => systemClock.now() + clockOffsetMs };
  return openApp({ dataDir, host: 'web', version: '0.0.0-test', scenariosDir: join(process.cwd(), 'scenarios'), clock });
}

const LOOPBACK = { address: '127.0.0.1', family: 'IPv4' as const, interface: 'lo', internal: true };
type Address = Omit<typeof LOOPBACK, 'family'> & { family: 'IPv4' | 'IPv6' };

/** A data folder where the listener listened on 127.0.0.1 (lo) for a session with an open code, then the app stopped. */
async function listenedOnce() {
  const data = tempDir();
  const renderer = tempDir();
  dirs.push(data, renderer);
  fakeParticipantBuild(renderer.dir);
  let addresses: Address[] = [LOOPBACK];
  const listenerFor = (services: Services) => {
    const lan = new LanListener({ services, dataDir: data.dir, rendererDir: renderer.dir, addresses: () => addresses });
    services.participantListener = lan;
    return lan;
  };
  const services = open(data.dir);
  services.participation.open((await sessionAtDecision(services)).sessionId);
  const lan = listenerFor(services);
  await lan.listen('127.0.0.1', 0);
  const first = lan.state().listening!;
  await lan.close();
  services.close();
  return { data, first, listenerFor, setAddresses: (next: Address[]) => (addresses = next) };
}

/** A new data folder with one session at its decision and joining open. */
async function sessionWithCode() {
  const data = tempDir();
  dirs.push(data);
  const services = open(data.dir);
  const { sessionId } = await sessionAtDecision(services);
  const { code } = services.participation.open(sessionId);
  return { data, services, sessionId, code };
}

afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

describe('restoring the room at a start', () => {
  it('takes back joined phones and the open code; drops grants the log does not back', async () => {
    const data = tempDir();
    dirs.push(data);
    let services = open(data.dir);
    const { sessionId } = await sessionAtDecision(services);
    const { code } = services.participation.open(sessionId);
    const ana = services.participation.join({ code, name: 'Ana', teamId: 'team-1' }, '192.0.2.1');
    const bo = services.participation.join({ code, name: 'Bo', teamId: 'team-2' }, '192.0.2.2');
    // At rest before the join was acknowledged: the hash, never the token.
    expect(services.store.participants.grants().map((g) => g.tokenSha256)).toEqual([sha256(ana.token), sha256(bo.token)]);

    // A grant whose join never committed, and one of Bo's the disk kept after his removal (as if the revocation had been refused).
    const orphan = randomBytes(32).toString('hex');
    services.store.participants.addGrant({ tokenSha256: sha256(orphan), sessionId, teamId: 'team-1', participantId: 'never-joined' }, 1);
    services.participation.remove(sessionId, bo.participantId, 'Left');
    const stale = randomBytes(32).toString('hex');
    services.store.participants.addGrant({ tokenSha256: sha256(stale), sessionId, teamId: 'team-2', participantId: bo.participantId }, 2);
    services.close();

    services = open(data.dir);
    try {
      expect(services.participation.authenticate(ana.token)).toEqual({ role: 'participant', sessionId, teamId: 'team-1', participantId: ana.participantId });
      expect(services.participation.authenticate(bo.token)).toBeNull();
      expect(services.participation.authenticate(orphan)).toBeNull();
      expect(services.participation.authenticate(stale)).toBeNull();
      expect(services.store.participants.grants().map((g) => g.participantId)).toEqual([ana.participantId]);
      expect(services.participation.state(sessionId).join?.code).toBe(code);
      expect(() => services.participation.teams({ code: 'WRONGCODE1' }, '192.0.2.9')).toThrow(/not valid/);

      // Answered from memory: with the database closed, a token is still recognised (and an unknown one still is not).
      services.store.close();
      expect(services.participation.authenticate(ana.token)?.participantId).toBe(ana.participantId);
      expect(services.participation.authenticate(stale)).toBeNull();
    } finally {
      services.close();
    }
  });

  it('closing or replacing a code is kept: the old code does not come back', async () => {
    const opened = await sessionWithCode();
    const { data, sessionId } = opened;
    let services = opened.services;
    const first = opened.code;
    const second = services.participation.rotate(sessionId).code;
    services.close();
    services = open(data.dir);
    expect(services.participation.state(sessionId).join?.code).toBe(second);
    expect(() => services.participation.teams({ code: first }, '192.0.2.1')).toThrow(/not valid/);
    services.participation.close(sessionId);
    services.close();
    services = open(data.dir);
    try {
      expect(services.participation.state(sessionId).join).toBeNull();
      expect(() => services.participation.teams({ code: second }, '192.0.2.1')).toThrow(/not valid/);
    } finally {
      services.close();
    }
  });

  it('starts the listener again where it was; on another port if that one is taken; not at all on an address the machine lost', async () => {
    const { data, first, listenerFor, setAddresses } = await listenedOnce();
    let services: Services;
    let lan: LanListener;

    // Something else took the port meanwhile: the listener takes another, and remembers that one.
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(first.port, '127.0.0.1', resolve));
    expect((squatter.address() as AddressInfo).port).toBe(first.port);
    services = open(data.dir);
    lan = listenerFor(services);
    try {
      expect(await lan.resume()).toBe(true);
      const moved = lan.state().listening!;
      expect(moved.port).not.toBe(first.port);
      expect(moved.fingerprint).toBe(first.fingerprint);
      expect(services.participation.rememberedListener()).toEqual({ address: '127.0.0.1', interface: 'lo', port: moved.port });
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
      await lan.close();
      services.close();
    }

    // The machine no longer has the address: nothing starts, and the facilitator is told why.
    setAddresses([]);
    services = open(data.dir);
    lan = listenerFor(services);
    try {
      await expect(lan.resume()).rejects.toThrow(/not an address of this machine/);
      expect(lan.state().listening).toBeNull();
    } finally {
      await lan.close();
      services.close();
    }
  });
  it('does not start again on the same address now on another interface (another network, a VPN), and never leaves a second server listening', async () => {
    const { data, first, listenerFor, setAddresses } = await listenedOnce();
    let services: Services;
    let lan: LanListener;

    // The address is back, but on an interface the facilitator did not choose: nothing listens.
    setAddresses([{ address: '127.0.0.1', family: 'IPv4', interface: 'tun0', internal: false }]);
    services = open(data.dir);
    lan = listenerFor(services);
    try {
      await expect(lan.resume()).rejects.toThrow(/now an address of tun0, not of lo/);
      expect(lan.state().listening).toBeNull();
      await expect(fetchStatus(first.port)).resolves.toBe('refused');
    } finally {
      await lan.close();
      services.close();
    }

    // "Stop listening" pressed while the start-up resume is still starting: nothing is left listening.
    setAddresses([LOOPBACK]);
    services = open(data.dir);
    lan = listenerFor(services);
    try {
      const resumed = lan.resume();
      const stopped = lan.stop();
      expect(await resumed).toBe(true);
      await stopped;
      expect(lan.state().listening).toBeNull();
      await expect(fetchStatus(first.port)).resolves.toBe('refused');
      expect(services.participation.rememberedListener()).toBeNull();

      // "Let participants join" pressed while another start is under way: one server, the last one asked for.
      const a = lan.listen('127.0.0.1', 0);
      const b = lan.listen('127.0.0.1', 0);
      await Promise.all([a, b]);
      const last = lan.state().listening!;
      await lan.close();
      await expect(fetchStatus(last.port)).resolves.toBe('refused');
    } finally {
      await lan.close();
      services.close();
    }
  });
  it('does not start again by itself when no room came back (no phone joined, no code open), and forgets where it was', async () => {
    const data = tempDir();
    const renderer = tempDir();
    dirs.push(data, renderer);
    fakeParticipantBuild(renderer.dir);
    const addresses = [{ address: '127.0.0.1', family: 'IPv4' as const, interface: 'lo', internal: true }];
    let services = open(data.dir);
    let lan = new LanListener({ services, dataDir: data.dir, rendererDir: renderer.dir, addresses: () => addresses });
    await lan.listen('127.0.0.1', 0);
    const first = lan.state().listening!;
    await lan.close();
    services.close();

    services = open(data.dir);
    lan = new LanListener({ services, dataDir: data.dir, rendererDir: renderer.dir, addresses: () => addresses });
    try {
      expect(await lan.resume()).toBe(false);
      expect(lan.state().listening).toBeNull();
      await expect(fetchStatus(first.port)).resolves.toBe('refused');
      expect(services.participation.rememberedListener()).toBeNull();
    } finally {
      await lan.close();
      services.close();
    }
  });
  it('does not bring back the room of a session nobody wrote to for a day (left running, never ended)', async () => {
    const opened = await sessionWithCode();
    const { data, code } = opened;
    const ana = opened.services.participation.join({ code, name: 'Ana', teamId: 'team-1' }, '192.0.2.1');
    opened.services.close();

    // A day later (its recovery writes a pause at this start: the day counts from before it), neither the token nor the code, at rest too.
    const services = open(data.dir, ROOM_IDLE_MS + 60_000);
    try {
      expect(services.participation.authenticate(ana.token)).toBeNull();
      // The session was left, not ended: the phone is told its room was closed, not that the session ended.
      expect(services.participation.refusal(ana.token)).toBe(REFUSALS.idle);
      expect(services.sessions.state(opened.sessionId).status).not.toBe('ended');
      expect(services.participation.hasRoom()).toBe(false);
      expect(services.store.participants.grants()).toEqual([]);
      expect(services.store.participants.codes()).toEqual([]);
      expect(() => services.participation.join({ code, name: 'Bo', teamId: 'team-1' }, '192.0.2.2')).toThrow(/not valid/);
    } finally {
      services.close();
    }
  });

  it('tells the phone of a session that ended that it ended, however long ago (not that its room was idle)', async () => {
    // Past the hot wash, and past a day too (both rules close it): the session ended, and the phone is told so.
    for (const later of [HOT_WASH_GRANT_MS + 60_000, ROOM_IDLE_MS + 60_000]) {
      const opened = await sessionWithCode();
      const { data, code, sessionId } = opened;
      const ana = opened.services.participation.join({ code, name: 'Ana', teamId: 'team-1' }, '192.0.2.1');
      await call(opened.services, 'sessions.end', { sessionId, reason: 'Time' });
      opened.services.close();

      const services = open(data.dir, later);
      try {
        expect(services.sessions.state(sessionId).status).toBe('ended');
        expect(services.participation.authenticate(ana.token)).toBeNull();
        expect(services.participation.refusal(ana.token), `${later} ms later`).toBe(REFUSALS.ended);
        expect(services.store.participants.grants()).toEqual([]);
      } finally {
        services.close();
      }
    }
  });
});
