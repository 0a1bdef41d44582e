import { Scenario, type ScenarioInput } from '../../src-main/core/scenario/schema.ts';

/** A small but complete scenario for engine tests: two injects, a timed decision, a branch, a random event, a contingency. */
export function engineTestScenarioInput(): ScenarioInput {
  return {
    formatVersion: 1,
    meta: {
      id: 'engine-test',
      version: '1.0.0',
      title: 'Engine test',
      summary: 'Exercises every node type.',
      audience: ['Tests'],
      estimatedMinutes: 60,
      difficulty: 'introductory',
      sensitivity: 'TLP:CLEAR',
      authors: [{ name: 'Tests' }],
    },
    guide: {
      openingBrief: 'Welcome.',
      facilitatorBrief: 'Run it.',
      debrief: { whatGoodLooksLike: 'Fast containment.' },
    },
    objectives: [{ id: 'obj1', text: 'Contain quickly.', tags: ['phase:containment'] }],
    variables: [{ id: 'lostGB', label: 'Data lost', type: 'number', initial: 0, unit: 'GB' }],
    milestones: [
      { id: 'detected', label: 'Detected', targetMinutes: 10 },
      { id: 'contained', label: 'Contained', targetMinutes: 30 },
      { id: 'eradicated', label: 'Eradicated', targetMinutes: 45 },
      { id: 'recovered', label: 'Recovered', targetMinutes: 55 },
    ],
    start: 'i1',
    timeline: [
      { type: 'inject', id: 'i1', at: 0, title: 'Alert', narrative: 'An alert fires.', channel: 'alert', next: 'i2' },
      { type: 'inject', id: 'i2', at: 10, title: 'Finding', narrative: 'GuardDuty agrees.', channel: 'console', next: 'd1' },
      {
        type: 'decision',
        id: 'd1',
        title: 'Contain?',
        prompt: 'What now?',
        timeLimitMinutes: 5,
        options: [
          {
            id: 'now',
            label: 'Contain now',
            recommended: true,
            consequences: { milestones: ['detected', 'contained'], objectives: ['obj1'], score: { 'srm:customer': 2 } },
            next: 'r1',
          },
          { id: 'wait', label: 'Watch longer', consequences: { add: { lostGB: 40 }, score: { 'srm:customer': -1 } }, next: 'r1' },
        ],
      },
      {
        type: 'random',
        id: 'r1',
        title: 'Does the attacker notice?',
        outcomes: [
          { id: 'noticed', label: 'Noticed', weight: 1, consequences: { add: { lostGB: 5 } }, next: 'b1' },
          { id: 'unnoticed', label: 'Unnoticed', weight: 1, next: 'b1' },
        ],
      },
      { type: 'branch', id: 'b1', cases: [{ when: { var: 'lostGB', op: '>', value: 10 }, next: 'i3bad' }], otherwise: 'i3good' },
      { type: 'inject', id: 'i3good', at: 30, title: 'Quiet', narrative: 'All quiet.', channel: 'chat', next: 'endGood' },
      { type: 'inject', id: 'i3bad', at: 30, title: 'Leak', narrative: 'Data is on a forum.', channel: 'news', next: 'endBad' },
      { type: 'end', id: 'endGood', title: 'Contained', outcome: 'Well done.', result: 'success' },
      { type: 'end', id: 'endBad', title: 'Leaked', outcome: 'Data was lost.', result: 'failure' },
    ],
    contingencies: [
      {
        id: 'c1',
        when: { notReached: { milestone: 'contained' }, by: 25 },
        title: 'The CISO calls',
        narrative: 'Why is this not contained yet?',
        channel: 'phone',
      },
    ],
  };
}

export function engineTestScenario(mutate?: (input: ScenarioInput) => void): Scenario {
  const input = engineTestScenarioInput();
  mutate?.(input);
  return Scenario.parse(input);
}

/**
 * Evidence images of every kind a screen must tell apart (format 1.1): `delivered` with the first inject,
 * `later` on the second inject and the contingency, `held` until asked for and `legal-only` for Legal
 * (both on the first inject), `facilitator-only` on no inject. Each is `assets/<id>.png`.
 */
export function withImageKinds(input: ScenarioInput): void {
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
    { id: 'note', kind: 'note', caption: 'A note', body: 'Not an image.' },
  ];
  Object.assign(
    input.timeline.find((n) => n.id === 'i1')!,
    { evidence: ['delivered', 'held', 'legal-only', 'note'] },
  );
  Object.assign(
    input.timeline.find((n) => n.id === 'i2')!,
    { evidence: ['later'] },
  );
  Object.assign(input.contingencies![0]!, { evidence: ['later'] });
}
