/**
 * Format 1.1 gating: a construct added in format 1.1 (tracks, audiences,
 * living text, evidence on request, richer rules, framework tags) used in a
 * file that declares version 1 is refused, with a message that names the
 * construct, at its pointer. Version-1 files load and run exactly as before.
 */
import { frameworkUses } from './framework-tags.ts';
import type { Report, Segment } from './ids.ts';
import { livingTextNames } from './living-text.ts';
import type { Scenario } from './schema.ts';

/** Whether a file of this declared version may use format-1.1 constructs. */
export function allowsVersion11(formatVersion: number): boolean {
  return formatVersion >= 1.1;
}

/** Reports `construct` at `path` when the scenario declares a version before 1.1. */
export function requireVersion11(scenario: Pick<Scenario, 'formatVersion'>, path: Segment[], construct: string, report: Report): void {
  if (!allowsVersion11(scenario.formatVersion)) report(path, `${construct} needs "formatVersion": 1.1 (this file declares ${scenario.formatVersion})`);
}

/**
 * In a version-1 file `{{…}}` is ordinary text, as it always was, unless it
 * names a declared variable: then the author meant living text, which needs
 * 1.1. Returns the construct to name, if any.
 */
export function livingTextInVersion1(text: string, isVariable: (name: string) => boolean): string | undefined {
  const named = livingTextNames(text).find(isVariable);
  return named === undefined ? undefined : `living text ("{{${named}}}")`;
}

/** Framework tags and `meta.critical` (format 1.1) wherever the scenario uses them. */
export function checkFrameworkVersion(scenario: Scenario, report: Report): void {
  for (const use of frameworkUses(scenario)) requireVersion11(scenario, use.path, use.construct, report);
}
