/**
 * What the projector may show. Built by copying named, room-facing fields
 * only (an allow-list), so facilitator notes, expected actions, upcoming
 * injects, recommendations, consequences and scores can never leak into it,
 * whatever a scenario author adds later.
 */
import type { ClockState } from './engine/clock.ts';
import type { Contingency, Evidence, InjectNode, Scenario } from './scenario/schema.ts';

export interface PresentedInject {
  id: string;
  kind: 'inject' | 'contingency';
  title: string;
  channel: string;
  from: string | null;
  to: string | null;
  subject: string | null;
  narrative: string;
  questions: string[];
  evidence: Evidence[];
  deliveredAtMs: number;
}

export interface PresenterView {
  sessionId: string;
  sessionName: string;
  scenarioTitle: string;
  sensitivity: string;
  status: 'setup' | 'running' | 'paused' | 'ended';
  clock: ClockState;
  team: { id: string; name: string };
  inject: PresentedInject | null;
  decision: { id: string; title: string; prompt: string; options: Array<{ id: string; label: string; description: string | null }>; openedAtMs: number; deadlineMs: number | null } | null;
  ending: { title: string; outcome: string } | null;
}

export interface PresenterInput {
  sessionId: string;
  sessionName: string;
  status: PresenterView['status'];
  clock: ClockState;
  sensitivity: string;
  team: { id: string; name: string };
  /** The latest inject delivered to the team, or contingency fired for it, with when. */
  latest: { kind: 'inject' | 'contingency'; id: string; atMs: number } | null;
  openDecision: { id: string; openedAtMs: number; deadlineMs: number | null } | null;
  endedAt: string | null;
}

function present(node: InjectNode | Contingency, kind: PresentedInject['kind'], atMs: number, evidenceById: Map<string, Evidence>): PresentedInject {
  return {
    id: node.id,
    kind,
    title: node.title,
    channel: node.channel,
    from: node.from ?? null,
    to: node.to ?? null,
    subject: node.subject ?? null,
    narrative: node.narrative,
    questions: [...node.questions],
    evidence: node.evidence.map((id) => evidenceById.get(id)).filter((e): e is Evidence => e !== undefined),
    deliveredAtMs: atMs,
  };
}

export function presenterView(scenario: Scenario, input: PresenterInput): PresenterView {
  const evidenceById = new Map(scenario.evidence.map((e) => [e.id, e]));
  let inject: PresentedInject | null = null;
  if (input.latest) {
    const node =
      input.latest.kind === 'inject'
        ? scenario.timeline.find((n): n is InjectNode => n.type === 'inject' && n.id === input.latest!.id)
        : scenario.contingencies.find((c) => c.id === input.latest!.id);
    if (node) inject = present(node, input.latest.kind, input.latest.atMs, evidenceById);
  }
  let decision: PresenterView['decision'] = null;
  if (input.openDecision) {
    const node = scenario.timeline.find((n) => n.type === 'decision' && n.id === input.openDecision!.id);
    if (node?.type === 'decision') {
      decision = {
        id: node.id,
        title: node.title,
        prompt: node.prompt,
        options: node.options.map((o) => ({ id: o.id, label: o.label, description: o.description ?? null })),
        openedAtMs: input.openDecision.openedAtMs,
        deadlineMs: input.openDecision.deadlineMs,
      };
    }
  }
  const end = input.endedAt ? scenario.timeline.find((n) => n.type === 'end' && n.id === input.endedAt) : undefined;
  return {
    sessionId: input.sessionId,
    sessionName: input.sessionName,
    scenarioTitle: scenario.meta.title,
    sensitivity: input.sensitivity,
    status: input.status,
    clock: input.clock,
    team: input.team,
    inject,
    decision,
    ending: end?.type === 'end' ? { title: end.title, outcome: end.outcome } : null,
  };
}
