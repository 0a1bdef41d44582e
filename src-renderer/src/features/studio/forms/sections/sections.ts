/**
 * The parts of the scenario outside its timeline, each one form of the
 * studio (forms/ScenarioForm.svelte): the label of its tab and, where it
 * says more, its form's title.
 */
interface SectionEntry {
  readonly id: string;
  readonly label: string;
  readonly title?: string;
}

export const SECTIONS = [
  { id: 'meta', label: 'About', title: 'About this scenario' },
  { id: 'guide', label: 'Facilitator guide' },
  { id: 'objectives', label: 'Objectives' },
  { id: 'roles', label: 'Roles' },
  { id: 'variables', label: 'Variables' },
  { id: 'milestones', label: 'Milestones' },
  { id: 'endings', label: 'Endings' },
  { id: 'tracks', label: 'Tracks' },
] as const satisfies readonly SectionEntry[];

export type Section = (typeof SECTIONS)[number]['id'];

/** A section's form title. */
export function sectionTitle(section: Section): string {
  const entry: SectionEntry | undefined = SECTIONS.find((s) => s.id === section);
  return entry?.title ?? entry?.label ?? section;
}
