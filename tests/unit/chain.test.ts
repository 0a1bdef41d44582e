import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, verifyChain, type ChainLink } from '../../src-main/core/engine/chain.ts';
import { eventHash } from '../../src-main/store/hash-chain.ts';

function chain(n: number, sessionId = 's1'): ChainLink[] {
  const links: ChainLink[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields = {
      sessionId,
      seq,
      teamId: seq % 2 ? 't1' : null,
      type: 'note.added',
      origin: 'command',
      scenarioMs: seq * 1000,
      wallMs: 1_700_000_000_000 + seq,
      payloadJson: JSON.stringify({ text: `note ${seq}` }),
    };
    const hash = eventHash(prevHash, fields);
    links.push({ ...fields, prevHash, hash });
    prevHash = hash;
  }
  return links;
}

describe('verifyChain (the one hash-chain rule)', () => {
  it('accepts an intact log and reports its head', () => {
    const links = chain(5);
    expect(verifyChain('s1', links, eventHash)).toEqual({ ok: true, count: 5, lastHash: links[4]!.hash });
    expect(verifyChain('s1', links, eventHash, { lastSeq: 5, lastHash: links[4]!.hash }).ok).toBe(true);
    expect(verifyChain('s1', [], eventHash, { lastSeq: 0, lastHash: GENESIS_HASH })).toEqual({ ok: true, count: 0, lastHash: GENESIS_HASH });
  });

  it('names the first event that was altered, removed, reordered or belongs elsewhere', () => {
    const altered = chain(5);
    altered[2] = { ...altered[2]!, payloadJson: JSON.stringify({ text: 'changed' }) };
    expect(verifyChain('s1', altered, eventHash)).toEqual({ ok: false, seq: 3, message: 'Event 3 was altered after it was recorded.' });

    const gap = chain(5).filter((l) => l.seq !== 2);
    expect(verifyChain('s1', gap, eventHash)).toMatchObject({ ok: false, message: 'Event 2 is missing.' });

    const relinked = chain(3);
    relinked[1] = { ...relinked[1]!, prevHash: GENESIS_HASH };
    expect(verifyChain('s1', relinked, eventHash)).toMatchObject({ ok: false, seq: 2, message: 'Event 2 does not follow event 1.' });

    expect(verifyChain('s2', chain(2), eventHash)).toMatchObject({ ok: false, message: 'Event 1 belongs to another session.' });
  });

  it('refuses a log that stops short of (or runs past) the session head', () => {
    const links = chain(4);
    const head = { lastSeq: 4, lastHash: links[3]!.hash };
    expect(verifyChain('s1', links.slice(0, 3), eventHash, head)).toMatchObject({ ok: false, message: /does not end at the session head/ });
    expect(verifyChain('s1', chain(5), eventHash, head)).toMatchObject({ ok: false, message: /does not end at the session head/ });
  });
});
