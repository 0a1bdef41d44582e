import { describe, expect, it } from 'vitest';
import { checkCreateInput, plainMessage, pointerOf } from '../../src-renderer/src/features/setup/setup-errors.ts';

/** The setup form's check: the contract's own schema, every problem at once, in plain words. */

const words = (pointer: string) => ({ name: `field ${pointer}`, required: `Fill in ${pointer}.`, unit: ' minutes' });
const valid = { scenarioId: 'sample-leaked-key', name: 'Drill', facilitator: 'Ana', teams: [{ name: 'Blue' }, { name: 'Red' }], speed: 1, milestoneTargets: { detected: 5 } };

describe('setup problems', () => {
  it('finds nothing wrong with valid input', () => {
    expect(checkCreateInput(valid, words)).toEqual([]);
  });

  it('reports every problem at once, each on its pointer, none in validator words', () => {
    const problems = checkCreateInput(
      { ...valid, name: '   ', facilitator: '', teams: [{ name: 'Blue' }, { name: '' }, { name: ' blue' }], milestoneTargets: { detected: -1, contained: 20_000 } },
      words,
    );
    expect(problems.map((p) => p.pointer).sort()).toEqual(['/facilitator', '/milestoneTargets/contained', '/milestoneTargets/detected', '/name', '/teams/1/name', '/teams/2/name']);
    const byPointer = Object.fromEntries(problems.map((p) => [p.pointer, p.message]));
    expect(byPointer['/name']).toBe('Fill in /name.');
    expect(byPointer['/teams/1/name']).toBe('Fill in /teams/1/name.');
    expect(byPointer['/teams/2/name']).toBe('Team 1 is already called “Blue”: give each team its own name.');
    expect(byPointer['/milestoneTargets/detected']).toBe('Field /milestoneTargets/detected cannot be negative.');
    expect(byPointer['/milestoneTargets/contained']).toBe('Field /milestoneTargets/contained can be at most 10,080 minutes.');
    for (const { message } of problems) expect(message).not.toMatch(/Too small|Too big|expected|Invalid input|>=|<=/);
  });

  it('says what is wrong with lists, lengths and types in words', () => {
    const problems = checkCreateInput({ ...valid, teams: [], seed: 'x'.repeat(101), speed: 3 }, (pointer) => ({ name: 'it', tooFew: `Add one (${pointer}).` }));
    expect(problems).toEqual(
      expect.arrayContaining([
        { pointer: '/teams', message: 'Add one (/teams).' },
        { pointer: '/seed', message: 'It can be at most 100 characters long.' },
        { pointer: '/speed', message: 'Choose one of the offered values for it.' },
      ]),
    );
  });

  it('writes JSON pointers with escaping', () => {
    expect(pointerOf(['milestoneTargets', 'a/b~c', 0])).toBe('/milestoneTargets/a~1b~0c/0');
  });

  it('ends a custom message with a full stop', () => {
    expect(plainMessage({ code: 'custom', path: [], message: 'No', input: 1 }, { name: 'x' })).toBe('No.');
  });
});
