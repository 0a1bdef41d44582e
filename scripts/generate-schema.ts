/**
 * Writes scenarios/scenario.schema.json from the zod schema of the scenario
 * format, so that editors can check and complete scenario files (a scenario
 * names it with `"$schema": "./scenario.schema.json"`).
 *
 *   npm run schema            regenerate the file
 *   npm run schema -- --check exit 1 if the committed file is out of date
 *
 * The output is deterministic: the same schema always gives the same bytes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import {
  BranchNode,
  Condition,
  Consequences,
  Contingency,
  DecisionNode,
  DecisionOption,
  EndNode,
  Evidence,
  FORMAT_VERSION,
  Guide,
  InjectNode,
  Meta,
  Milestone,
  Objective,
  RandomNode,
  Role,
  Scenario,
  Tag,
  Variable,
} from '../src-main/core/scenario/schema.ts';
import { TAG_PATTERN } from '../src-main/core/scenario/tags.ts';

export const SCHEMA_PATH = fileURLToPath(new URL('../scenarios/scenario.schema.json', import.meta.url));

/** Names and descriptions of the parts that become `$defs`: what an editor shows on hover. */
function definitions(): z.core.$ZodRegistry<{ id?: string; title?: string; description?: string }> {
  const registry = z.registry<{ id?: string; title?: string; description?: string }>();
  registry.add(Meta, { id: 'Meta', description: 'What the scenario is: id, version, title, audience, duration, difficulty, handling marking, authors.' });
  registry.add(Guide, { id: 'Guide', description: 'The facilitator guide: opening brief for the room, facilitator brief, phase questions, traps and the debrief.' });
  registry.add(Objective, { id: 'Objective', description: 'An exercise objective; options and outcomes demonstrate it through consequences.objectives.' });
  registry.add(Role, { id: 'Role', description: 'A role in the room (e.g. incident commander); decisions name their owners by role id.' });
  registry.add(Variable, { id: 'Variable', description: 'A number, boolean or string the scenario tracks; consequences change it and conditions read it.' });
  registry.add(Milestone, {
    id: 'Milestone',
    description: 'A point the team should reach by targetMinutes. detected, contained, eradicated and recovered are required.',
  });
  registry.add(Evidence, { id: 'Evidence', description: 'An artefact shown with injects: cloudtrail, guardduty, log, email, chat, ticket, alert, table, image or note.' });
  registry.add(Condition, {
    id: 'Condition',
    description: 'A structured condition: {var, op, value}, {milestone, reached}, {chose, option}, {all: [...]}, {any: [...]} or {not: {...}}.',
  });
  registry.add(Consequences, {
    id: 'Consequences',
    description: 'What a choice or random outcome does: set/add variables, score points against tags, reach milestones, demonstrate objectives.',
  });
  registry.add(Tag, {
    id: 'Tag',
    description: 'WAF-<version>:SECnn-BPnn (e.g. WAF-2024-06-27:SEC02-BP02), principle:<name>, srm:customer|aws|shared, or phase:<name>.',
  });
  registry.add(InjectNode, { id: 'InjectNode', description: 'Delivers information to the room at scenario minute `at`, then moves on to `next`.' });
  registry.add(DecisionOption, { id: 'DecisionOption', description: 'One choice of a decision, with its consequences and the node it leads to.' });
  registry.add(DecisionNode, { id: 'DecisionNode', description: 'Waits for the team to choose one of its options (or for the time limit).' });
  registry.add(BranchNode, { id: 'BranchNode', description: 'Moves on instantly to the first case whose condition holds, else to `otherwise`.' });
  registry.add(RandomNode, { id: 'RandomNode', description: 'Picks one outcome by a seeded, weighted roll.' });
  registry.add(EndNode, { id: 'EndNode', description: "Ends the team's run with an outcome and a result." });
  registry.add(Contingency, {
    id: 'Contingency',
    description: 'An inject held in reserve: fires once at minute when.by if the milestone or objective is still not reached.',
  });
  return registry;
}

/** The JSON Schema of the scenario format, as the text written to scenarios/scenario.schema.json. */
export function generateScenarioSchema(): string {
  const schema = z.toJSONSchema(Scenario, {
    io: 'input',
    target: 'draft-2020-12',
    metadata: definitions(),
    override: ({ zodSchema, jsonSchema }) => {
      // The tag check is code (it knows the framework versions); the pattern lets editors flag most typos.
      if (zodSchema === Tag) jsonSchema.pattern = TAG_PATTERN.source;
    },
  });
  const document = {
    $schema: schema.$schema,
    $id: `urn:sandtable:scenario-format:${FORMAT_VERSION}`,
    title: `Sandtable scenario (format v${FORMAT_VERSION})`,
    description:
      'A tabletop-exercise scenario for Sandtable. Generated from src-main/core/scenario/schema.ts by `npm run schema`; do not edit by hand. ' +
      'See docs/scenario-format.md. `npm run validate` also checks what a schema cannot: ids, references, reachability and inject times.',
    ...schema,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const unknown = argv.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`Unknown argument ${unknown[0]!}.\nUsage: npm run schema [-- --check]\n`);
    return 2;
  }
  const generated = generateScenarioSchema();
  if (check) {
    let committed = '';
    try {
      committed = readFileSync(SCHEMA_PATH, 'utf8');
    } catch {
      // A missing file is stale too.
    }
    if (committed === generated) return 0;
    process.stderr.write(`${SCHEMA_PATH} is out of date: run npm run schema and commit the result.\n`);
    return 1;
  }
  writeFileSync(SCHEMA_PATH, generated);
  process.stdout.write(`Wrote ${SCHEMA_PATH}\n`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = main(process.argv.slice(2));
}
