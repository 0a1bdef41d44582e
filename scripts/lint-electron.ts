/**
 * `npm run lint:electron`: Electronegativity over the Electron host, with the
 * renderer's index.html as the build writes it (its <meta> CSP filled in).
 * Fails on any finding not in scripts/electronegativity-allow.json, on any
 * entry of that list that no longer matches a finding (the list stays small
 * and true), and on any file Electronegativity cannot parse.
 *
 * The built bundle (out/main/index.js) is not scanned: Electronegativity 1.10's
 * scope analysis stops at its private class fields ("Unknown node type
 * ClassPrivateProperty"); the TypeScript sources are what it reads.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { injectCspMeta } from '../src-main/hosts/content-security-policy.ts';

const ROOT = resolve(import.meta.dirname, '..');
export const ALLOW_LIST = join(ROOT, 'scripts', 'electronegativity-allow.json');

export const AllowEntry = z.object({
  /** Electronegativity's check id, e.g. CONTEXT_ISOLATION_JS_CHECK. */
  check: z.string().regex(/^[A-Z_]+$/),
  /** The file, relative to the project root. */
  file: z.string().min(1),
  /**
   * A regular expression the finding's code must match (its line and the two after it), so an
   * entry follows its code when lines move and never covers code of another shape.
   */
  code: z
    .string()
    .min(1)
    .refine((s) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    }, 'not a regular expression'),
  /** Why this is safe, checkably (name the code or test that proves it). */
  why: z.string().min(20),
});
export type AllowEntry = z.infer<typeof AllowEntry>;
export const AllowList = z.array(AllowEntry);

export interface Finding {
  check: string;
  file: string;
  line: number;
  severity: string;
  confidence: string;
  description: string;
  manualReview: boolean;
  /** The source from the finding's line, three lines ('' for findings about the project as a whole). */
  source: string;
}

/** What goes into the scan: the Electron host, the CSP module, the page as built, package.json. */
function stage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandtable-electronegativity-'));
  const copy = (rel: string, content?: string) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    if (content === undefined) copyFileSync(join(ROOT, rel), join(dir, rel));
    else writeFileSync(join(dir, rel), content);
  };
  for (const name of readdirSync(join(ROOT, 'src-main/hosts/electron'))) if (name.endsWith('.ts')) copy(`src-main/hosts/electron/${name}`);
  copy('src-main/hosts/content-security-policy.ts');
  copy('src-renderer/index.html', injectCspMeta(readFileSync(join(ROOT, 'src-renderer/index.html'), 'utf8')));
  copy('package.json');
  return dir;
}

interface RawIssue {
  id: string;
  file: string;
  location?: { line: number };
  severity: { name?: string } | string;
  confidence: { name?: string } | string;
  description: string;
  manualReview?: boolean;
}

export async function scan(): Promise<{ findings: Finding[]; errors: string[] }> {
  const run = createRequire(import.meta.url)('@doyensec/electronegativity') as (
    options: object,
  ) => Promise<{ issues: RawIssue[]; errors: Array<{ file: string; message: string; tolerable: boolean }> }>;
  const electron = (createRequire(import.meta.url)('electron/package.json') as { version: string }).version;
  const dir = stage();
  // Electronegativity chats on the console (translations, Electron releases); only its result matters here.
  const quiet = { log: console.log, warn: console.warn, info: console.info };
  console.log = console.warn = console.info = () => {};
  try {
    const result = await run({ input: dir, isRelative: true, electronVersionOverride: electron });
    const name = (v: { name?: string } | string) => (typeof v === 'string' ? v : (v.name ?? '?'));
    const findings = result.issues.map((i): Finding => {
      const file = i.file === 'N/A' ? 'N/A' : relative(dir, resolve(dir, i.file));
      const line = i.location?.line ?? 0;
      const source =
        file !== 'N/A' && line > 0
          ? readFileSync(join(dir, file), 'utf8')
              .split('\n')
              .slice(line - 1, line + 2)
              .join('\n')
          : '';
      return { check: i.id, file, line, severity: name(i.severity), confidence: name(i.confidence), description: i.description, manualReview: Boolean(i.manualReview), source };
    });
    const errors = result.errors.filter((e) => !e.tolerable).map((e) => `${relative(dir, resolve(dir, e.file))}: ${e.message}`);
    return { findings, errors };
  } finally {
    Object.assign(console, quiet);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Splits findings into allowed and not, and finds allow-list entries that match nothing. */
export function judge(findings: readonly Finding[], allow: readonly AllowEntry[]) {
  const used = new Set<AllowEntry>();
  const allowed: Array<{ finding: Finding; entry: AllowEntry }> = [];
  const refused: Finding[] = [];
  for (const finding of findings) {
    const entry = allow.find((e) => e.check === finding.check && e.file === finding.file && new RegExp(e.code).test(finding.source));
    if (entry) {
      used.add(entry);
      allowed.push({ finding, entry });
    } else refused.push(finding);
  }
  return { allowed, refused, unused: allow.filter((e) => !used.has(e)) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const allow = AllowList.parse(JSON.parse(readFileSync(ALLOW_LIST, 'utf8')));
  const { findings, errors } = await scan();
  const { allowed, refused, unused } = judge(findings, allow);
  const at = (f: Finding) => `${f.file}${f.line ? `:${f.line}` : ''}`;
  for (const { finding, entry } of allowed) console.log(`allowed  ${finding.check} ${finding.severity} at ${at(finding)}: ${entry.why}`);
  for (const f of refused) console.error(`FINDING  ${f.check} ${f.severity}/${f.confidence}${f.manualReview ? ' (review)' : ''} at ${at(f)}: ${f.description}`);
  for (const e of unused) console.error(`STALE    allow-list entry ${e.check} in ${e.file} ("${e.code}") matches no finding; remove it`);
  for (const e of errors) console.error(`UNPARSED ${e}`);
  const ok = refused.length === 0 && unused.length === 0 && errors.length === 0;
  console.log(
    `Electronegativity: ${findings.length} findings, ${allowed.length} allowed with a reason, ${refused.length} not allowed, ${unused.length} stale allow-list entries, ${errors.length} unparsed files`,
  );
  process.exit(ok ? 0 : 1);
}
