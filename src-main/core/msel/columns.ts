/**
 * The columns of a Master Scenario Events List (MSEL), and how a planner's
 * own header row is matched to them.
 *
 * There is no fixed MSEL column set (HSEEP lets planners define their own),
 * so headers are matched by name: case, spacing and punctuation do not
 * matter, `#` reads as "number" and `+` as "plus" (so "Inject #" and "T+"
 * keep their meaning), a trailing parenthesis such as "(HH:MM)" may be
 * dropped, and the common synonyms of each column are accepted.
 */

/** What a column holds. `actualTime` and `status` describe a past run and are not imported. */
export const MSEL_FIELDS = [
  'sequence',
  'time',
  'actualTime',
  'type',
  'channel',
  'from',
  'to',
  'title',
  'subject',
  'message',
  'expectedAction',
  'questions',
  'objective',
  'controller',
  'status',
  'notes',
  'id',
] as const;
export type MselField = (typeof MSEL_FIELDS)[number];

/** The header each field is written with on export. */
export const FIELD_HEADERS: Readonly<Record<MselField, string>> = {
  sequence: 'Sequence',
  time: 'Scenario time',
  actualTime: 'Actual time',
  type: 'Type',
  channel: 'Channel',
  from: 'From',
  to: 'To',
  title: 'Title',
  subject: 'Subject',
  message: 'Message',
  expectedAction: 'Expected player action',
  questions: 'Discussion questions',
  objective: 'Objective',
  controller: 'Responsible controller',
  status: 'Status',
  notes: 'Notes',
  id: 'Sandtable ID',
};

/** Columns of an exported scenario MSEL, in order. */
export const SCENARIO_COLUMNS: readonly MselField[] = MSEL_FIELDS.filter((field) => field !== 'actualTime' && field !== 'status');

/** Columns of an MSEL exported after a session: the scenario's, plus what actually happened. */
export const SESSION_COLUMNS: readonly MselField[] = MSEL_FIELDS;

/** Accepted header names per field, already normalised (see `normaliseHeader`). */
const SYNONYMS: Readonly<Record<MselField, readonly string[]>> = {
  sequence: [
    'sequence',
    'seq',
    'seqno',
    'seqnumber',
    'sequenceno',
    'sequencenumber',
    'no',
    'number',
    'num',
    'nr',
    'injectno',
    'injectnumber',
    'injectnum',
    'injectnr',
    'mselno',
    'mselnumber',
    'eventno',
    'eventnumber',
    'serial',
    'serialno',
    'order',
    'step',
    'refno',
    'refnumber',
    'item',
    'itemno',
    'itemnumber',
  ],
  time: [
    'time',
    'scenariotime',
    'tplus',
    't',
    'exercisetime',
    'scenarioclock',
    'exerciseclock',
    'offset',
    'timeoffset',
    'elapsed',
    'elapsedtime',
    'plannedtime',
    'scheduledtime',
    'injecttime',
    'eventtime',
    'deliverytime',
    'planneddeliverytime',
    'scheduleddeliverytime',
    'minutes',
    'minute',
    'min',
    'mins',
    'when',
  ],
  actualTime: ['actualtime', 'actualdeliverytime', 'actual', 'actualdelivery', 'actualtimedelivered', 'actualdeliveredtime'],
  type: ['type', 'injecttype', 'eventtype', 'category', 'kind', 'mseltype', 'injectcategory', 'eventcategory'],
  channel: [
    'channel',
    'method',
    'deliverymethod',
    'delivery',
    'deliverymechanism',
    'deliverychannel',
    'medium',
    'media',
    'mode',
    'modality',
    'means',
    'injectmethod',
    'mechanism',
    'injectmode',
    'communicationmethod',
    'via',
  ],
  from: ['from', 'sender', 'originator', 'source', 'sentby', 'origin', 'simulatedsender', 'injectfrom'],
  to: [
    'to',
    'recipient',
    'recipients',
    'player',
    'players',
    'playerrecipient',
    'target',
    'audience',
    'injectto',
    'sentto',
    'receiver',
    'participant',
    'participants',
    'team',
    'addressee',
  ],
  title: ['title', 'injecttitle', 'name', 'injectname', 'headline', 'eventtitle', 'eventname', 'shorttitle', 'summary'],
  subject: ['subject', 'subjectline', 'topic', 're'],
  message: [
    'message',
    'description',
    'inject',
    'injectdescription',
    'injecttext',
    'injectmessage',
    'text',
    'body',
    'content',
    'details',
    'narrative',
    'eventdescription',
    'script',
    'messagedescription',
    'injectdetails',
    'event',
    'situation',
  ],
  expectedAction: [
    'expectedaction',
    'expectedactions',
    'expectedplayeraction',
    'expectedplayeractions',
    'expectedresponse',
    'expectedresponses',
    'expectedplayerresponse',
    'expectedoutcome',
    'expectedoutcomes',
    'playeraction',
    'playeractions',
    'anticipatedresponse',
    'anticipatedaction',
    'anticipatedactions',
    'expectation',
    'expectations',
    'desiredresponse',
    'expectedbehaviour',
    'expectedbehavior',
  ],
  questions: ['questions', 'question', 'discussionquestions', 'keyquestions', 'facilitatorquestions', 'prompts'],
  objective: [
    'objective',
    'objectives',
    'capability',
    'capabilities',
    'corecapability',
    'corecapabilities',
    'objectivecapability',
    'exerciseobjective',
    'exerciseobjectives',
    'objectiveaddressed',
    'capabilityaddressed',
    'objectivecapabilityaddressed',
  ],
  controller: ['responsiblecontroller', 'controller', 'controllers', 'responsible', 'injectowner', 'owner', 'deliveredby', 'leadcontroller'],
  status: ['status', 'injectstatus', 'deliverystatus'],
  notes: ['notes', 'note', 'comments', 'comment', 'remarks', 'controllernotes', 'facilitatornotes', 'statusandnotes', 'notesandstatus'],
  id: ['sandtableid', 'nodeid', 'injectid', 'id', 'identifier', 'ref', 'reference'],
};

const BY_NAME: ReadonlyMap<string, MselField> = new Map(
  (Object.entries(SYNONYMS) as Array<[MselField, readonly string[]]>).flatMap(([field, names]) => names.map((name) => [name, field] as const)),
);

/**
 * Reduces a header to the letters and digits that carry its meaning:
 * "Inject #" → "injectnumber", "T+" → "tplus", "Expected action(s)" → "expectedactions".
 */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/#/g, ' number ')
    .replace(/\+/g, ' plus ')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '');
}

/**
 * Words that make a header a time column when no synonym matched it: practitioners
 * write "T+min", "Date/Time Delivered", "Minute", "Offset (mins)", "Inject timing".
 */
const TIME_WORDS = new Set(['time', 'times', 'timing', 'minute', 'minutes', 'min', 'mins', 'offset', 'delivered', 'elapsed', 'clock', 'tplus', 'hhmm', 'hhmmss']);

/** The field a header names, or null when it names none. */
export function fieldForHeader(header: string): MselField | null {
  const full = BY_NAME.get(normaliseHeader(header));
  if (full) return full;
  // "Scenario time (HH:MM)", "From (originator)": try again without the parenthesis.
  const bare = header.replace(/\([^)]*\)/g, ' ');
  const withoutParenthesis = bare === header ? null : (BY_NAME.get(normaliseHeader(bare)) ?? null);
  if (withoutParenthesis) return withoutParenthesis;
  return isTimeHeader(header) ? (/\bactual\b/i.test(header) ? 'actualTime' : 'time') : null;
}

/** Whether a header names a time by one of its words ("T+min", "Date/Time Delivered", "Offset (mins)"). */
export function isTimeHeader(header: string): boolean {
  if (/^\s*t\s*\+/i.test(header)) return true;
  const words = header
    .normalize('NFKD')
    .toLowerCase()
    .replace(/t\s*\+/g, ' tplus ')
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  return words.some((w) => TIME_WORDS.has(w));
}

/** Where one column of the file went. */
export interface ColumnMapping {
  /** 0-based column index in the file. */
  column: number;
  /** The header as written in the file. */
  header: string;
  /** The field it was matched to, or null when it is kept as a facilitator note ("Header: value"). */
  field: MselField | null;
  /** Why a recognised header is not imported as that field (a duplicate, or run data), when it is not. */
  note?: string;
}

/** Matches every header to a field; a second column for the same field is kept as notes. */
export function mapHeaders(headers: readonly string[]): ColumnMapping[] {
  const taken = new Map<MselField, string>();
  return headers.map((raw, column) => {
    const header = raw.trim();
    const field = header === '' ? null : fieldForHeader(header);
    if (field === null) return { column, header, field: null };
    const earlier = taken.get(field);
    if (earlier !== undefined) {
      return { column, header, field: null, note: `"${earlier}" already gives the ${FIELD_HEADERS[field].toLowerCase()}; this column is kept as notes` };
    }
    taken.set(field, header);
    if (field === 'actualTime' || field === 'status') return { column, header, field, note: 'describes a past run; not part of a scenario, so not imported' };
    return { column, header, field };
  });
}
