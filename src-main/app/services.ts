import type { MethodName, ParsedInputOf, ResultOf } from '../api/contract.ts';
import { EventHub } from './events.ts';
import { join } from 'node:path';
import type { Store } from '../store/store.ts';
import { rehearse } from '../core/engine/rehearse.ts';
import { AppError } from './errors.ts';
import { interopHandlers } from './interop.ts';
import { reportHandlers } from './reports.ts';
import type { DownloadSaver } from './downloads.ts';
import { programmeHandlers } from './programme.ts';
import { ScenarioLibrary } from './scenario-library.ts';
import { SessionRunner, systemClock, type RunnerClock } from './sessions.ts';
import { ParticipationService, type ParticipantListenerControl } from './participation.ts';
import { heldEvidence } from './evidence.ts';
import { showsImage, type ImageView } from '../core/shown-images.ts';
import { rehearsalView } from './rehearsal.ts';
import { studioHandlers } from './studio.ts';

export interface AppContext {
  name: string;
  version: string;
  host: 'electron' | 'web';
  dataDir: string;
  /** Folder holding the bundled scenario scripts. */
  scenariosDir: string;
}

/** Imported scenarios live in the data folder, one folder each. */
export const IMPORTED_SCENARIOS_FOLDER = 'scenarios';

/** How a host shows a team's projector view (or, with teamId null, the room view of every team): Electron opens a window, the web host issues a read-only link. */
export type PresenterOpener = (sessionId: string, teamId: string | null) => { url: string | null; opened: boolean };

/** How a host saves the report view as a PDF (Electron only); returns the file written, or null if cancelled. */
export type PdfSaver = (sessionId: string, pseudonymise: boolean) => Promise<string | null>;

export type { Grant } from './grant.ts';
import type { Grant } from './grant.ts';

export type Handlers = {
  [M in MethodName]: (input: ParsedInputOf<M>, grant: Grant) => ResultOf<M> | Promise<ResultOf<M>>;
};

/**
 * The application: every contract method implemented on top of core + store.
 * Hosts construct one of these per data folder and bind it to their transport;
 * nothing in here knows which host is calling.
 */
export class Services {
  readonly events = new EventHub();
  readonly handlers: Handlers;
  readonly sessions: SessionRunner;
  readonly library: ScenarioLibrary;
  /** Set by the host that serves these services. */
  presenterOpener: PresenterOpener | null = null;
  /** Set by the Electron host; the web host prints from the browser. */
  pdfSaver: PdfSaver | null = null;
  /** Set by a host: how it delivers a streamed session file (exports.download; see ./downloads.ts). */
  downloadSaver: DownloadSaver | null = null;
  /** Set by a host that can start the participants' listener (src-main/hosts/lan). */
  participantListener: ParticipantListenerControl | null = null;
  readonly participation: ParticipationService;

  constructor(
    readonly store: Store,
    readonly context: AppContext,
    clock?: RunnerClock,
  ) {
    const library = new ScenarioLibrary({ bundledDir: context.scenariosDir, importedDir: join(context.dataDir, IMPORTED_SCENARIOS_FOLDER), events: this.events });
    this.library = library;
    this.sessions = new SessionRunner({
      store,
      events: this.events,
      loadScenario: (id) => library.get(id),
      dataDir: context.dataDir,
      ...(clock ? { clock } : {}),
    });
    const runner = this.sessions;
    const participation = new ParticipationService({
      runner,
      events: this.events,
      now: () => (clock ?? systemClock).now(),
      listener: () => this.participantListener,
      store: store.participants,
      dataDir: context.dataDir,
    });
    this.participation = participation;
    const listenerState = () => ({ supported: this.participantListener !== null, ...(this.participantListener?.state() ?? { addresses: [], listening: null }) });
    /**
     * An image a room-facing screen shows (core/shown-images.ts), as a data: URL. Any other path is refused
     * with the same words before the file is looked at, so the answer says nothing of whether it exists.
     */
    const shownImage = (sessionId: string, view: ImageView, path: string) => {
      if (!showsImage(view, path)) throw new AppError('not_found', `This screen shows no image ${JSON.stringify(path)}.`, '/path');
      return { dataUrl: library.assetDataUrl(runner.scenario(sessionId), path) };
    };
    const listener = () => {
      if (!this.participantListener) throw new AppError('conflict', "This host cannot start the participants' listener.");
      return this.participantListener;
    };
    this.handlers = {
      'app.info': () => ({
        name: context.name,
        version: context.version,
        host: context.host,
        dataDir: context.dataDir,
      }),
      'library.list': () => library.list(),
      'library.get': ({ id }) => library.get(id),
      'library.import': ({ text, replace }) => library.importText(text, replace),
      'library.importBundle': ({ base64, replace }) => library.importBundle(Buffer.from(base64, 'base64'), replace),
      'library.remove': ({ id }) => {
        library.remove(id);
        return { removed: id };
      },
      'library.asset': ({ scenarioId, path }) => ({ dataUrl: library.assetDataUrl(library.get(scenarioId), path) }),
      // The facilitator may see every image of the scenario (the console previews what is to come); a projector only those its views show.
      'presenter.asset': ({ sessionId, path }, grant) =>
        grant.role === 'facilitator' ? { dataUrl: library.assetDataUrl(runner.scenario(sessionId), path) } : shownImage(sessionId, runner.roomView(sessionId), path),
      'library.rehearse': ({ id, choices, seed }) => {
        const scenario = library.get(id);
        return rehearsalView(scenario, rehearse(scenario, { choices, seed }));
      },
      'sessions.list': () => runner.list(),
      'sessions.create': (input) => runner.create(input),
      'sessions.get': ({ sessionId }) => runner.state(sessionId),
      'sessions.scenario': ({ sessionId }) => runner.scenario(sessionId),
      'sessions.events': ({ sessionId, afterSeq }) => runner.events(sessionId, afterSeq),
      'sessions.start': ({ sessionId, speed }) => runner.start(sessionId, speed),
      'sessions.pause': ({ sessionId }) => runner.pause(sessionId),
      'sessions.resume': ({ sessionId }) => runner.resume(sessionId),
      'sessions.setSpeed': ({ sessionId, speed }) => runner.setSpeed(sessionId, speed),
      'sessions.advance': ({ sessionId }) => runner.advance(sessionId),
      'sessions.recordDecision': ({ sessionId, teamId, decisionId, optionId, rationale, decidedBy }) =>
        runner.teamCommand(sessionId, teamId, { type: 'decision.recorded', payload: { decisionId, optionId, rationale, decidedBy } }),
      'sessions.markMilestone': ({ sessionId, teamId, milestoneId }) => runner.teamCommand(sessionId, teamId, { type: 'milestone.marked', payload: { milestoneId } }),
      'sessions.fireContingency': ({ sessionId, teamId, contingencyId }) => runner.teamCommand(sessionId, teamId, { type: 'contingency.triggered', payload: { contingencyId } }),
      'sessions.addNote': ({ sessionId, teamId, text, objectiveId, rating, author }) => runner.addNote(sessionId, teamId, { text, objectiveId, rating, author }),
      'sessions.undo': ({ sessionId, teamId, reason }) => runner.undo(sessionId, teamId, reason),
      'sessions.end': ({ sessionId, reason }) => runner.end(sessionId, reason),
      'sessions.openPresenter': ({ sessionId, teamId }) => {
        if (teamId === undefined) runner.state(sessionId);
        else runner.presenter(sessionId, teamId); // the session and team exist
        if (!this.presenterOpener) throw new AppError('conflict', 'This host cannot show a presenter view.');
        return this.presenterOpener(sessionId, teamId ?? null);
      },
      'sessions.room': ({ sessionId }) => runner.room(sessionId),
      'sessions.setRoom': (input) => runner.setRoom(input),
      'presenter.view': ({ sessionId, teamId }) => runner.presenter(sessionId, teamId),
      'presenter.room': ({ sessionId }) => runner.roomView(sessionId),
      'reports.savePdf': async ({ sessionId, pseudonymise }) => {
        runner.state(sessionId); // the session exists
        if (!this.pdfSaver) return { supported: false, saved: null };
        return { supported: true, saved: await this.pdfSaver(sessionId, pseudonymise) };
      },
      'sessions.openParticipation': ({ sessionId, feedbackQuestions }) => participation.open(sessionId, feedbackQuestions),
      'sessions.rotateJoinCode': ({ sessionId }) => participation.rotate(sessionId),
      'sessions.closeParticipation': ({ sessionId }) => participation.close(sessionId),
      'sessions.participation': ({ sessionId }) => participation.state(sessionId),
      'sessions.votes': ({ sessionId, teamId, decisionId }) => participation.votes(sessionId, teamId, decisionId),
      'sessions.removeParticipant': ({ sessionId, participantId, reason }) => participation.remove(sessionId, participantId, reason),
      'participation.listener': () => listenerState(),
      'participation.listen': async ({ address, port }) => {
        await listener().listen(address, port);
        return listenerState();
      },
      'participation.stop': async () => {
        await listener().stop();
        return listenerState();
      },
      'presenter.joinCard': ({ sessionId }) => participation.joinCard(sessionId),
      'participant.view': (_input, grant) => participation.view(grant),
      'participant.asset': ({ path }, grant) => {
        const { room } = participation.view(grant);
        return shownImage(room.sessionId, room, path);
      },
      'participant.vote': (input, grant) => participation.vote(grant, input),
      'participant.ask': ({ text }, grant) => participation.ask(grant, text),
      'participant.feedback': ({ answers }, grant) => participation.feedback(grant, answers),
      'participant.requestEvidence': ({ evidenceId }, grant) => participation.requestEvidence(grant, evidenceId),
      'sessions.heldEvidence': ({ sessionId, teamId }) => heldEvidence(runner, participation, sessionId, teamId),
      'sessions.revealEvidence': ({ sessionId, teamId, evidenceId }) => runner.revealEvidence(sessionId, teamId, evidenceId, null),
      ...interopHandlers({ store, library, events: this.events }),
      ...reportHandlers({ store, context, downloadSaver: () => this.downloadSaver }),
      ...programmeHandlers({ store, library, context }),
      ...studioHandlers({ store, library, events: this.events, dataDir: context.dataDir }),
    };
  }

  close(): void {
    this.sessions.close();
    this.store.close();
  }
}
