import { createHash, randomBytes, randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import type { z } from 'zod';
import type { ResultOf } from '../api/contract.ts';
import { JoinInput, type ListenerState } from '../api/participants.ts';
import type { FeedbackQuestion, LogEvent, ParticipationRecord } from '../core/engine/events.ts';
import {
  applyParticipation,
  askableEvidence,
  checkFeedback,
  currentVotes,
  displayJoinCode,
  foldParticipation,
  joinCodeFromBytes,
  normaliseJoinCode,
  openDecisionsOf,
  participantView,
  tallyCounts,
  tallyVotes,
  type Participation,
  type ParticipantView,
} from '../core/participants.ts';
import { zodToApiError } from '../api/contract.ts';
import type { ParticipantRepository, StoredListener } from '../store/participants.ts';
import { AppError, diskFullError } from './errors.ts';
import type { EventHub } from './events.ts';
import type { Grant } from './grant.ts';
import type { Ack, SessionRunner } from './sessions.ts';

export type ParticipantGrant = Extract<Grant, { role: 'participant' }>;

interface VoteInput {
  decisionId: string;
  optionId: string;
  confidence: number;
  rationale: string;
}

interface PendingVote {
  me: ParticipantGrant;
  input: VoteInput;
  resolve: (ack: Ack) => void;
  reject: (error: unknown) => void;
}

/**
 * The participants' listener as the app sees it: the host that can start one
 * (both hosts, through src-main/hosts/lan) sets `Services.participantListener`.
 */
export interface ParticipantListenerControl {
  state(): Omit<ListenerState, 'supported'>;
  listen(address: string, port: number): Promise<void>;
  stop(): Promise<void>;
}
type ListenerState = z.output<typeof ListenerState>;

/** Wrong join codes allowed per client address in `THROTTLE_WINDOW_MS` before it gets HTTP 429. */
export const JOIN_FAILURES_ALLOWED = 5;
export const THROTTLE_WINDOW_MS = 60_000;
/** At most this many addresses are remembered (the oldest are forgotten first). */
const THROTTLE_MAX_ADDRESSES = 10_000;
/**
 * Votes, questions and hot-wash answers one participant may record in
 * `THROTTLE_WINDOW_MS`: far above what a person does, low enough that one
 * phone cannot flood the session's log (which auditors read and undo scans).
 */
export const PARTICIPANT_ACTIONS_ALLOWED = 30;
/**
 * How long after its session ended a participant's token still opens their
 * page (the ending and the hot wash). Past it the session's grants are
 * revoked, in memory and at rest, and its tokens open nothing.
 */
export const HOT_WASH_GRANT_MS = 2 * 3_600_000;
/**
 * A session nobody wrote to for this long (left running or paused, never
 * ended) does not bring its room back at a start: its tokens and join code
 * are revoked and people join again, rather than a room from another day
 * coming back with the listener.
 */
export const ROOM_IDLE_MS = 24 * 3_600_000;

/** At most this many refused tokens are remembered with why they were refused (the oldest are forgotten first). */
const REFUSED_MAX_TOKENS = 10_000;

/** Why a token opens nothing any more, in the sentence its phone shows (see `ParticipationService.refusal`). */
export const REFUSALS = {
  removed: 'You were removed from this session. Ask the facilitator if you should join again.',
  ended: 'This session has ended.',
  idle: 'This room was closed after a day without activity. Ask the facilitator for a new code if the session goes on.',
  unknown: 'Ask the facilitator for a new code: this device is not joined to a session here.',
} as const;

/** Why this app revoked a token (`REFUSALS` words it for the phone). */
type Revoked = Exclude<keyof typeof REFUSALS, 'unknown'>;

/** The times in `log[key]` still inside the throttle window. */
function recentTimes(log: ReadonlyMap<string, number[]>, key: string, now: number): number[] {
  return (log.get(key) ?? []).filter((t) => now - t < THROTTLE_WINDOW_MS);
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newJoinCode(): string {
  for (;;) {
    const code = joinCodeFromBytes(randomBytes(32));
    if (code) return code;
  }
}

/**
 * Participants on their own devices: join codes, participant tokens, and what
 * a participant may do, all for their own team only. Every join, vote,
 * question and answer is appended to the session's log (acknowledged only
 * after commit); everything shown is folded from that log.
 */
export class ParticipationService {
  readonly #runner: SessionRunner;
  readonly #events: EventHub;
  readonly #now: () => number;
  readonly #listener: () => ParticipantListenerControl | null;
  /** sessionId -> open join code, and back. */
  readonly #codes = new Map<string, string>();
  readonly #sessionByCode = new Map<string, string>();
  /**
   * SHA-256 of a token -> the participant it stands for. Written at rest
   * (`ParticipantRepository`, the hash only) before a join is acknowledged and
   * read back by `restore()`, so phones stay joined across a restart; every
   * request is answered from this map alone.
   */
  readonly #tokens = new Map<string, ParticipantGrant>();
  /** sessionId -> wall time its session ended, once folded from its log (starts the hot-wash window). */
  readonly #endedAt = new Map<string, number>();
  readonly #store: ParticipantRepository;
  readonly #dataDir: string;
  /** client address -> wall times of its recent wrong codes. */
  readonly #failures = new Map<string, number[]>();
  /** participantId -> wall times of what they recently recorded. */
  readonly #actions = new Map<string, number[]>();
  /** participantId -> open event streams (with how to close each). */
  readonly #streams = new Map<string, Set<() => void>>();
  /** Votes waiting for the next group commit, per session. */
  readonly #pendingVotes = new Map<string, PendingVote[]>();
  /** Each session's participation, folded from its log up to `seq`. */
  readonly #folded = new Map<string, { state: Participation; seq: number }>();
  /** SHA-256 of a token this app revoked -> why (bounded: `REFUSED_MAX_TOKENS`), so that its phone is told why it is refused. */
  readonly #refused = new Map<string, Revoked>();
  /** sessionId -> how many participant event streams are open on it. */
  readonly #streamsBySession = new Map<string, number>();
  /** sessionId -> the one timer that revokes its grants (and ends its streams) when its hot-wash window closes. */
  readonly #expiries = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(options: {
    runner: SessionRunner;
    events: EventHub;
    now: () => number;
    listener: () => ParticipantListenerControl | null;
    store: ParticipantRepository;
    dataDir: string;
  }) {
    this.#runner = options.runner;
    this.#events = options.events;
    this.#now = options.now;
    this.#listener = options.listener;
    this.#store = options.store;
    this.#dataDir = options.dataDir;
    // A session with open event streams that ends: its folded log learns when, which sets the timer that ends those streams with the hot wash.
    this.#events.subscribe({ role: 'facilitator' }, (event) => {
      if (event.name !== 'session.changed') return;
      const sessionId = event.payload.sessionId;
      if (!this.#expiries.has(sessionId) && (this.#streamsBySession.get(sessionId) ?? 0) > 0) this.#state(sessionId);
    });
  }

  /**
   * After a start: takes back the grants and join codes kept at rest (call it
   * once the runner has recovered its sessions). A session that is gone, that
   * ended longer ago than the hot-wash window, or that nobody wrote to for
   * `ROOM_IDLE_MS` before this start (`lastWrites`, read before recovering
   * sessions writes their pause), loses its grants and its code; an ended session keeps no code; a grant whose participant the log
   * does not list as present (removed, or a join that never committed) is
   * dropped. Returns how many grants and codes came back.
   */
  restore(lastWrites: ReadonlyMap<string, number> = new Map()): { grants: number; codes: number } {
    const records = new Map(this.#runner.list().map((r) => [r.id, r]));
    const stored = this.#store.grants();
    const codes = this.#store.codes();
    const now = this.#now();
    /** The stored grants of a session revoked at this start are remembered as refused, and why (they never reach `#tokens`). */
    const refuseStored = (sessionId: string, why: Revoked) => {
      for (const grant of stored) if (grant.sessionId === sessionId) this.#refuse(grant.tokenSha256, why);
    };
    const usable = new Set<string>();
    for (const sessionId of new Set([...stored.map((g) => g.sessionId), ...codes.map((c) => c.sessionId)])) {
      const record = records.get(sessionId);
      // A session's last write is no earlier than its end: past the window counted from it, it is past for certain.
      const idle = record ? now - (lastWrites.get(sessionId) ?? record.updatedWallMs) : Infinity;
      // A session left running or paused for a day is not over: its phones are told their room was closed, not that it ended.
      const gone = !record || (record.status === 'ended' && idle >= HOT_WASH_GRANT_MS) ? 'ended' : idle >= ROOM_IDLE_MS ? 'idle' : null;
      if (gone) {
        refuseStored(sessionId, gone);
        this.#forget(sessionId, () => this.#store.revokeSession(sessionId));
        continue;
      }
      try {
        this.#state(sessionId); // folds the log: who is present, and when it ended
      } catch (error) {
        console.error(`sandtable: the participants of session ${sessionId} could not be restored:`, error instanceof Error ? error.message : error);
        continue;
      }
      if (this.#hotWashOver(sessionId)) {
        refuseStored(sessionId, 'ended');
        this.#revokeSession(sessionId);
        continue;
      }
      usable.add(sessionId);
    }
    let grants = 0;
    for (const grant of stored) {
      if (!usable.has(grant.sessionId)) continue;
      const present = this.#state(grant.sessionId).participants.get(grant.participantId);
      if (!present || present.removed !== null || present.teamId !== grant.teamId) {
        if (present?.removed) this.#refuse(grant.tokenSha256, 'removed');
        this.#forget(grant.sessionId, () => this.#store.revokeGrant(grant.tokenSha256));
        continue;
      }
      this.#tokens.set(grant.tokenSha256, { role: 'participant', sessionId: grant.sessionId, teamId: grant.teamId, participantId: grant.participantId });
      grants++;
    }
    let opened = 0;
    for (const { sessionId, code } of codes) {
      if (!usable.has(sessionId)) continue;
      if (this.#endedAt.has(sessionId)) {
        this.#forget(sessionId, () => this.#store.dropCode(sessionId)); // codes die with their session
        continue;
      }
      this.#codes.set(sessionId, code);
      this.#sessionByCode.set(code, sessionId);
      opened++;
    }
    return { grants, codes: opened };
  }

  // --- the facilitator ---------------------------------------------------

  open(sessionId: string, feedbackQuestions?: FeedbackQuestion[]): ResultOf<'sessions.openParticipation'> {
    this.#requireNotEnded(sessionId);
    if (feedbackQuestions) {
      const ids = new Set<string>();
      feedbackQuestions.forEach((q, i) => {
        if (ids.has(q.id)) throw new AppError('invalid_input', `Two hot-wash questions have the id ${q.id}.`, `/feedbackQuestions/${i}/id`);
        ids.add(q.id);
      });
      const ack = this.#runner.recordParticipation(sessionId, () => [{ type: 'participation.opened', payload: { feedbackQuestions }, teamId: null }]);
      this.#changed(sessionId, null, ack.seq);
    }
    if (!this.#codes.has(sessionId)) {
      this.#setCode(sessionId, newJoinCode());
      this.#changed(sessionId, null, this.#runner.state(sessionId).lastSeq);
    }
    return this.#joinInfo(sessionId)!;
  }

  rotate(sessionId: string): ResultOf<'sessions.rotateJoinCode'> {
    this.#requireNotEnded(sessionId);
    this.#setCode(sessionId, newJoinCode());
    this.#changed(sessionId, null, this.#runner.state(sessionId).lastSeq);
    return this.#joinInfo(sessionId)!;
  }

  close(sessionId: string): { closed: boolean } {
    this.#runner.state(sessionId); // the session exists
    const closed = this.#dropCode(sessionId);
    if (closed) this.#changed(sessionId, null, this.#runner.state(sessionId).lastSeq);
    return { closed };
  }

  state(sessionId: string): ResultOf<'sessions.participation'> {
    const state = this.#state(sessionId);
    const names = (id: string) => state.participants.get(id)?.name ?? id;
    return {
      join: this.#joinInfo(sessionId),
      participants: [...state.participants.values()].map((p) => ({
        id: p.id,
        name: p.name,
        role: p.role,
        teamId: p.teamId,
        joinedTimestamp: p.joinedTimestamp,
        connected: (this.#streams.get(p.id)?.size ?? 0) > 0 && p.removed === null,
        removed: p.removed !== null,
      })),
      questions: state.questions.map((q) => ({ ...q, name: names(q.participantId) })),
      feedbackQuestions: state.feedbackQuestions,
      feedbackCount: state.feedback.size,
    };
  }

  /** The votes on one open decision of a team: `decisionId` (any track's), else the lead track's. */
  votes(sessionId: string, teamId: string, decisionId?: string): ResultOf<'sessions.votes'> {
    const room = this.#runner.presenter(sessionId, teamId);
    const state = this.#state(sessionId);
    const decision = decisionId === undefined ? room.decision : openDecisionsOf(room).find((d) => d.id === decisionId);
    if (decision === undefined) throw new AppError('conflict', `Decision ${decisionId ?? ''} is not open for this team.`, '/decisionId');
    const votes = decision ? currentVotes(state, teamId, decision.id) : [];
    const tally = tallyVotes(decision?.id ?? '', decision?.options.map((o) => o.id) ?? [], votes);
    return {
      decisionId: decision?.id ?? null,
      ...tallyCounts(tally),
      votes: votes.map((v) => ({
        participantId: v.participantId,
        name: state.participants.get(v.participantId)?.name ?? v.participantId,
        optionId: v.optionId,
        confidence: v.confidence,
        rationale: v.rationale,
      })),
    };
  }

  remove(sessionId: string, participantId: string, reason: string): Ack {
    const entry = this.#state(sessionId).participants.get(participantId);
    if (!entry) throw new AppError('not_found', `This session has no participant ${participantId}.`, '/participantId');
    if (entry.removed) throw new AppError('conflict', `${entry.name} was already removed.`, '/participantId');
    const ack = this.#runner.recordParticipation(sessionId, () => [{ type: 'participant.removed', payload: { participantId, reason }, teamId: entry.teamId }]);
    for (const [hash, grant] of this.#tokens) {
      if (grant.participantId !== participantId) continue;
      this.#tokens.delete(hash);
      this.#refuse(hash, 'removed');
    }
    // After the removal's commit: were the app to stop in between, restore() drops a removed participant's grants.
    this.#forget(sessionId, () => this.#store.revokeParticipant(sessionId, participantId));
    this.#actions.delete(participantId);
    for (const closeStream of this.#streams.get(participantId) ?? []) closeStream();
    this.#streams.delete(participantId);
    this.#changed(sessionId, entry.teamId, ack.seq);
    return ack;
  }

  /** What the room screen shows so that people can join; null while joining is closed. */
  async joinCard(sessionId: string): Promise<ResultOf<'presenter.joinCard'>> {
    const info = this.#joinInfo(sessionId);
    if (!info) return null;
    const target = info.url === null ? null : `${info.url}#code=${info.code}`;
    const svg = target === null ? null : await QRCode.toString(target, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { ...info, displayCode: displayJoinCode(info.code), qrDataUrl: svg === null ? null : `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
  }

  // --- joining and authenticating (called by the participants' listener) ---

  /** Where the participants' listener last listened, kept at rest so that a restart starts it there again; null once it was stopped. */
  rememberedListener(): StoredListener | null {
    return this.#store.listener();
  }

  /** Whether a room came back at the start (a joined phone or an open join code): only then does the listener start again by itself. */
  hasRoom(): boolean {
    return this.#tokens.size > 0 || this.#codes.size > 0;
  }

  /** Remembers where the listener listens now, or (null) that the facilitator stopped it. */
  rememberListener(where: StoredListener | null): void {
    this.#persist(() => this.#store.setListener(where, this.#now()));
  }

  /**
   * `POST /api/join`: a participant joins a team with the session's code and
   * gets a 256-bit bearer token (wrong codes are throttled, see #sessionForCode).
   */
  join(body: unknown, clientAddress: string): z.output<typeof import('../api/participants.ts').JoinResult> {
    const parsed = JoinInput.safeParse(body ?? {});
    const typedCode = typeof (body as { code?: unknown } | null)?.code === 'string' ? (body as { code: string }).code : '';
    const sessionId = this.#sessionForCode(typedCode, clientAddress);
    if (!parsed.success) {
      const error = zodToApiError(parsed.error);
      throw new AppError(error.code, error.message, error.path);
    }
    const { name, teamId } = parsed.data;
    const session = this.#runner.state(sessionId);
    const team = session.teams.find((t) => t.id === teamId);
    if (!team) throw new AppError('not_found', `This session has no team ${teamId}.`, '/teamId');
    let role = team.participants.find((p) => p.name.trim().toLowerCase() === name.toLowerCase())?.role;
    if (parsed.data.role !== undefined) {
      const roles = this.#runner.scenario(sessionId).roles;
      const chosen = roles.find((r) => r.id === parsed.data.role);
      if (!chosen) {
        const known = roles.length === 0 ? 'this exercise names no roles' : `choose one of ${roles.map((r) => r.id).join(', ')}`;
        throw new AppError('invalid_input', `There is no role ${parsed.data.role}: ${known}.`, '/role');
      }
      role = chosen.name;
    }
    const participantId = randomUUID();
    const token = randomBytes(32).toString('hex');
    const tokenSha256 = digest(token);
    // The grant is at rest before the join is recorded, and both before it is acknowledged: a phone told
    // it joined stays joined after a restart. Were the join not to commit, restore() drops the grant.
    this.#persist(() => this.#store.addGrant({ tokenSha256, sessionId, teamId, participantId }, this.#now()));
    let ack: Ack;
    try {
      ack = this.#runner.recordParticipation(sessionId, () => [{ type: 'participant.joined', payload: { participantId, name, ...(role ? { role } : {}) }, teamId }]);
    } catch (error) {
      // Were the disk to refuse this too, restore() drops it: the log never listed this participant.
      this.#forget(sessionId, () => this.#store.revokeGrant(tokenSha256));
      throw error;
    }
    this.#tokens.set(tokenSha256, { role: 'participant', sessionId, teamId, participantId });
    this.#changed(sessionId, teamId, ack.seq);
    return { token, participantId, teamId };
  }

  /** `POST /api/teams`: the teams one may join with a code (throttled like joining). */
  teams(body: unknown, clientAddress: string): { sessionName: string; teams: Array<{ id: string; name: string }>; roles: Array<{ id: string; name: string }> } {
    const code = typeof (body as { code?: unknown } | null)?.code === 'string' ? (body as { code: string }).code.slice(0, 40) : '';
    const sessionId = this.#sessionForCode(code, clientAddress);
    const session = this.#runner.state(sessionId);
    const roles = this.#runner.scenario(sessionId).roles.map((r) => ({ id: r.id, name: r.name }));
    return { sessionName: session.name, teams: session.teams.map((t) => ({ id: t.id, name: t.name })), roles };
  }

  /**
   * The session a typed code opens. Wrong codes count against the client's
   * address; past `JOIN_FAILURES_ALLOWED` in a minute it is refused
   * (`rate_limited`) without the code even being looked at.
   */
  #sessionForCode(typed: string, clientAddress: string): string {
    const now = this.#now();
    const recent = recentTimes(this.#failures, clientAddress, now);
    if (recent.length >= JOIN_FAILURES_ALLOWED) {
      throw new AppError('rate_limited', `Too many wrong codes from this device: try again in ${Math.ceil((THROTTLE_WINDOW_MS - (now - recent[0]!)) / 1000)} seconds.`);
    }
    const sessionId = this.#sessionByCode.get(normaliseJoinCode(typed));
    if (sessionId === undefined || !this.#isOpen(sessionId)) {
      this.#failures.delete(clientAddress); // re-inserted last: the map stays in order of recent use
      this.#failures.set(clientAddress, [...recent, now]);
      if (this.#failures.size > THROTTLE_MAX_ADDRESSES) this.#failures.delete(this.#failures.keys().next().value!);
      throw new AppError('forbidden', 'This join code is not valid: check it on the room screen.', '/code');
    }
    return sessionId;
  }

  /**
   * The grant a participant's bearer token stands for, or null (unknown,
   * removed, its session gone, or ended longer ago than the hot-wash window).
   * Answered from memory: one hash and one lookup, no disk.
   */
  authenticate(token: string | null | undefined): ParticipantGrant | null {
    if (typeof token !== 'string' || !/^[0-9a-f]{64}$/.test(token)) return null;
    const grant = this.#tokens.get(digest(token));
    if (!grant) return null;
    if (this.#hotWashOver(grant.sessionId)) {
      this.#revokeSession(grant.sessionId);
      return null;
    }
    return grant;
  }

  /**
   * Why `authenticate` refuses a token, in the sentence its phone shows: its
   * participant was removed, its session ended (and the hot wash is over), its
   * room was closed at a start after a day without a write (`ROOM_IDLE_MS`), or
   * it is not known here (never joined here, or revoked before this app's
   * last start and forgotten since): joining again takes a new code.
   */
  refusal(token: string | null | undefined): string {
    const why = typeof token === 'string' && /^[0-9a-f]{64}$/.test(token) ? this.#refused.get(digest(token)) : undefined;
    return REFUSALS[why ?? 'unknown'];
  }

  /**
   * A participant's event stream opened; `closeStream` ends it if they are
   * removed, or when their session's hot-wash window closes (one timer per
   * session, set once its end is known). Returns the function to call when it closes.
   */
  connect(grant: ParticipantGrant, closeStream: () => void): () => void {
    const streams = this.#streams.get(grant.participantId) ?? new Set();
    this.#streams.set(grant.participantId, streams);
    streams.add(closeStream);
    this.#streamsBySession.set(grant.sessionId, (this.#streamsBySession.get(grant.sessionId) ?? 0) + 1);
    this.#state(grant.sessionId); // an ended session's expiry timer is set
    if (streams.size === 1) this.#changed(grant.sessionId, grant.teamId, this.#runner.state(grant.sessionId).lastSeq);
    return () => {
      if (!streams.delete(closeStream)) return;
      const open = (this.#streamsBySession.get(grant.sessionId) ?? 1) - 1;
      if (open > 0) this.#streamsBySession.set(grant.sessionId, open);
      else this.#streamsBySession.delete(grant.sessionId);
      if (streams.size > 0) return;
      this.#streams.delete(grant.participantId);
      this.#changed(grant.sessionId, grant.teamId, this.#runner.state(grant.sessionId).lastSeq);
    };
  }

  // --- the participant ---------------------------------------------------

  view(grant: Grant): ParticipantView {
    const me = this.#participant(grant);
    return participantView(this.#runner.presenter(me.sessionId, me.teamId), this.#state(me.sessionId), me.participantId, this.#runner.scenario(me.sessionId));
  }

  /**
   * Asks for a held-back evidence item (format 1.1): only one that this
   * participant's screen offers (`askableEvidence`: an inject their view shows
   * now, the latest or any parallel track's; their team, their role). The
   * request reveals it to their own team at once — the facilitator sees who
   * asked, in the console and in the log.
   */
  requestEvidence(grant: Grant, evidenceId: string): Ack {
    const me = this.#participant(grant);
    this.#throttle(me);
    const offered = askableEvidence(this.view(me).room).some((h) => h.evidenceId === evidenceId);
    if (!offered) throw new AppError('not_found', `Your screen offers no evidence ${evidenceId} to ask for.`, '/evidenceId');
    return this.#runner.revealEvidence(me.sessionId, me.teamId, evidenceId, me.participantId);
  }

  /**
   * Votes on the team's open decision. Votes arriving together are committed
   * together (one durable transaction for all of them: group commit), and
   * each is acknowledged once that transaction is on disk.
   */
  vote(grant: Grant, input: VoteInput): Promise<Ack> {
    const me = this.#participant(grant);
    this.#throttle(me);
    return new Promise<Ack>((resolve, reject) => {
      const queue = this.#pendingVotes.get(me.sessionId);
      if (queue) {
        queue.push({ me, input, resolve, reject });
        return;
      }
      this.#pendingVotes.set(me.sessionId, [{ me, input, resolve, reject }]);
      setImmediate(() => this.#commitVotes(me.sessionId));
    });
  }

  #commitVotes(sessionId: string): void {
    const queue = this.#pendingVotes.get(sessionId) ?? [];
    this.#pendingVotes.delete(sessionId);
    const accepted: PendingVote[] = [];
    const refused = new Set<PendingVote>();
    const refuse = (item: PendingVote, error: AppError) => {
      refused.add(item);
      item.reject(error);
    };
    let ack: Ack;
    try {
      ack = this.#runner.recordParticipation(sessionId, () => {
        const records: Array<ParticipationRecord & { teamId: string }> = [];
        const decisions = new Map<string, ReturnType<typeof openDecisionsOf>>();
        for (const item of queue) {
          const { me, input } = item;
          // Every decision open for the team: one per track with parallel tracks.
          if (!decisions.has(me.teamId)) decisions.set(me.teamId, openDecisionsOf(this.#runner.presenter(sessionId, me.teamId)));
          const decision = decisions.get(me.teamId)!.find((d) => d.id === input.decisionId);
          if (!decision) {
            refuse(item, new AppError('conflict', 'Voting on this decision has closed: the facilitator has recorded the team’s decision.', '/decisionId'));
          } else if (!decision.options.some((o) => o.id === input.optionId)) {
            // The room sees only the options on offer (format 1.1: a conditional option while its condition holds).
            const node = this.#runner.scenario(sessionId).timeline.find((n) => n.id === input.decisionId);
            const exists = node?.type === 'decision' && node.options.some((o) => o.id === input.optionId);
            refuse(
              item,
              exists
                ? new AppError('conflict', `Option ${input.optionId} is not on offer for this decision now.`, '/optionId')
                : new AppError('invalid_input', `This decision has no option ${input.optionId}.`, '/optionId'),
            );
          } else {
            accepted.push(item);
            records.push({ type: 'vote.cast', payload: { participantId: me.participantId, ...input }, teamId: me.teamId });
          }
        }
        return records;
      });
    } catch (error) {
      // Nothing was written: every vote not already refused for its own reason gets this error.
      for (const item of queue) if (!refused.has(item)) item.reject(error);
      return;
    }
    if (accepted.length === 0) return;
    // The batch's events are the last ones appended, in order.
    const firstSeq = ack.seq - accepted.length + 1;
    const stored = this.#runner.events(sessionId, firstSeq - 1);
    accepted.forEach((item, i) => item.resolve({ seq: firstSeq + i, hash: stored[i]?.hash ?? ack.hash }));
    const state = this.#state(sessionId);
    const lastByTeam = new Map<string, { decisionId: string; seq: number }>();
    accepted.forEach((item, i) => lastByTeam.set(item.me.teamId, { decisionId: item.input.decisionId, seq: firstSeq + i }));
    for (const [teamId, { decisionId, seq }] of lastByTeam) {
      const node = this.#runner.scenario(sessionId).timeline.find((n) => n.id === decisionId);
      const optionIds = node?.type === 'decision' ? node.options.map((o) => o.id) : [];
      const tally = tallyVotes(decisionId, optionIds, currentVotes(state, teamId, decisionId));
      this.#events.emit('votes.changed', { sessionId, teamId, decisionId, tally: tally.tally, voters: tally.voters, seq });
    }
  }

  ask(grant: Grant, text: string): Ack {
    const me = this.#participant(grant);
    this.#throttle(me);
    this.#requireNotEnded(me.sessionId);
    const ack = this.#runner.recordParticipation(me.sessionId, () => [{ type: 'question.asked', payload: { participantId: me.participantId, text }, teamId: me.teamId }]);
    this.#changed(me.sessionId, me.teamId, ack.seq);
    return ack;
  }

  feedback(grant: Grant, answers: Record<string, string | number>): Ack {
    const me = this.#participant(grant);
    this.#throttle(me);
    const problem = checkFeedback(this.#state(me.sessionId).feedbackQuestions, answers);
    if (problem) throw new AppError('invalid_input', problem.message, problem.path);
    const ack = this.#runner.recordParticipation(me.sessionId, () => [{ type: 'feedback.given', payload: { participantId: me.participantId, answers }, teamId: me.teamId }]);
    this.#changed(me.sessionId, me.teamId, ack.seq);
    return ack;
  }

  // --- inside ------------------------------------------------------------

  #participant(grant: Grant): ParticipantGrant {
    if (grant.role !== 'participant') throw new AppError('forbidden', 'Only a participant’s own device may do this.');
    const entry = this.#state(grant.sessionId).participants.get(grant.participantId);
    if (!entry || entry.removed) throw new AppError('unauthorized', 'You are no longer part of this exercise.');
    if (this.#hotWashOver(grant.sessionId)) {
      this.#revokeSession(grant.sessionId);
      throw new AppError('unauthorized', 'This exercise has ended.');
    }
    return grant;
  }

  /** Counts one thing a participant records; past `PARTICIPANT_ACTIONS_ALLOWED` in the window it is refused (`rate_limited`). */
  #throttle(me: ParticipantGrant): void {
    const now = this.#now();
    const recent = recentTimes(this.#actions, me.participantId, now);
    if (recent.length >= PARTICIPANT_ACTIONS_ALLOWED) {
      throw new AppError('rate_limited', `Too much from this device at once: try again in ${Math.ceil((THROTTLE_WINDOW_MS - (now - recent[0]!)) / 1000)} seconds.`);
    }
    this.#actions.set(me.participantId, [...recent, now]);
  }

  /** The session's participation, brought up to date with its log. */
  #state(sessionId: string): Participation {
    let folded = this.#folded.get(sessionId);
    if (!folded) {
      folded = { state: foldParticipation([]), seq: 0 };
      this.#folded.set(sessionId, folded);
    }
    const fresh: LogEvent[] = this.#runner.events(sessionId, folded.seq);
    for (const event of fresh) applyParticipation(folded.state, event);
    const ended = fresh.find((e) => e.type === 'session.ended');
    if (ended) {
      this.#endedAt.set(sessionId, ended.wallMs);
      this.#scheduleExpiry(sessionId);
    }
    if (fresh.length > 0) folded.seq = fresh.at(-1)!.seq;
    return folded.state;
  }

  #joinInfo(sessionId: string): ResultOf<'sessions.openParticipation'> | null {
    if (!this.#isOpen(sessionId)) return null;
    const listening = this.#listener()?.state().listening ?? null;
    return { url: listening?.url ?? null, code: this.#codes.get(sessionId)!, fingerprint: listening?.fingerprint ?? null };
  }

  /** Joining is open: a code is set and the session has not ended (codes die with their session). */
  #isOpen(sessionId: string): boolean {
    if (!this.#codes.has(sessionId)) return false;
    if (this.#runner.state(sessionId).status === 'ended') {
      this.#dropCode(sessionId, true);
      return false;
    }
    return true;
  }

  /** Opens joining with `code`, at rest first (an open code comes back after a restart; the one it replaces does not). */
  #setCode(sessionId: string, code: string): void {
    this.#persist(() => this.#store.setCode(sessionId, code, this.#now()));
    this.#forgetCode(sessionId);
    this.#codes.set(sessionId, code);
    this.#sessionByCode.set(code, sessionId);
  }

  /**
   * Closes joining, at rest first: were the disk to refuse, the code stays
   * open (and says so, `disk_full`) rather than come back after a restart.
   * A code dying with its ended session is dropped at rest when it can be
   * (restore() drops an ended session's code in any case).
   */
  #dropCode(sessionId: string, sessionEnded = false): boolean {
    if (!this.#codes.has(sessionId)) return false;
    if (sessionEnded) this.#forget(sessionId, () => this.#store.dropCode(sessionId));
    else this.#persist(() => this.#store.dropCode(sessionId));
    return this.#forgetCode(sessionId);
  }

  /** Forgets a session's code in memory only. */
  #forgetCode(sessionId: string): boolean {
    const code = this.#codes.get(sessionId);
    if (code === undefined) return false;
    this.#codes.delete(sessionId);
    this.#sessionByCode.delete(code);
    return true;
  }

  /** The session ended longer ago than the hot-wash window (as far as its folded log says). */
  #hotWashOver(sessionId: string): boolean {
    const ended = this.#endedAt.get(sessionId);
    return ended !== undefined && this.#now() - ended >= HOT_WASH_GRANT_MS;
  }

  /** Revokes every grant and the join code of a session, in memory and at rest (once: after it nothing of it is left to find). */
  #revokeSession(sessionId: string): void {
    clearTimeout(this.#expiries.get(sessionId));
    this.#expiries.delete(sessionId);
    for (const [hash, grant] of this.#tokens) {
      if (grant.sessionId !== sessionId) continue;
      this.#tokens.delete(hash);
      this.#refuse(hash, 'ended');
      for (const closeStream of this.#streams.get(grant.participantId) ?? []) closeStream(); // its event streams end too
    }
    this.#forgetCode(sessionId);
    this.#forget(sessionId, () => this.#store.revokeSession(sessionId));
  }

  /**
   * Sets the one timer of an ended session that revokes its grants when its
   * hot-wash window closes: its open event streams end then, not at their
   * next request. Set once per session (again only if it fires early by the
   * app's clock); it does not keep the process alive.
   */
  #scheduleExpiry(sessionId: string): void {
    const ended = this.#endedAt.get(sessionId);
    if (ended === undefined || this.#expiries.has(sessionId)) return;
    const timer = setTimeout(
      () => {
        this.#expiries.delete(sessionId);
        if (this.#hotWashOver(sessionId)) this.#revokeSession(sessionId);
        else this.#scheduleExpiry(sessionId);
      },
      Math.max(0, ended + HOT_WASH_GRANT_MS - this.#now()),
    );
    timer.unref();
    this.#expiries.set(sessionId, timer);
  }

  /** Remembers why a token was revoked (the oldest reasons are forgotten first). */
  #refuse(tokenSha256: string, why: Revoked): void {
    this.#refused.delete(tokenSha256);
    this.#refused.set(tokenSha256, why);
    if (this.#refused.size > REFUSED_MAX_TOKENS) this.#refused.delete(this.#refused.keys().next().value!);
  }

  /** A write of participants' state at rest that must succeed for what it backs to be said done; a full disk says so (`disk_full`, naming the data folder). */
  #persist(write: () => void): void {
    try {
      write();
    } catch (error) {
      throw diskFullError(error, this.#dataDir) ?? error;
    }
  }

  /**
   * A revocation at rest, after the one in memory (which alone decides what a
   * token opens while the app runs). If the disk refuses, restore() revokes it
   * again at the next start: it drops grants whose participant the log lists
   * as removed, and an ended session's grants once its window has passed.
   */
  #forget(sessionId: string, write: () => void): void {
    try {
      write();
    } catch (error) {
      console.error(`sandtable: revoked participants' access to session ${sessionId}, but could not yet remove it from the disk:`, error instanceof Error ? error.message : error);
    }
  }

  #requireNotEnded(sessionId: string): void {
    if (this.#runner.state(sessionId).status === 'ended') throw new AppError('conflict', 'This session has ended.');
  }

  #changed(sessionId: string, teamId: string | null, seq: number): void {
    this.#events.emit('participation.changed', { sessionId, teamId, seq });
  }
}
