/**
 * One set of size limits (src-main/core/limits.ts) for every layer: a file
 * at a limit passes the renderer's picker, the web host, the contract and
 * core; one byte more is refused by each of them in the same words.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../src-main/api/contract.ts';
import { IMPORT_FILES_TOTAL, MSEL_TEXT, REQUEST_BODY, SCENARIO_FILE, tooLarge, UPLOAD } from '../../src-main/api/limits.ts';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';
import { openApp } from '../../src-main/app/open.ts';
import type { Services } from '../../src-main/app/services.ts';
import { PARTICIPANT_LIMITS, PARTICIPANT_REQUEST_BODY, base64Bytes, base64Chars, jsonStringBytes } from '../../src-main/core/limits.ts';
import { previewMselImport } from '../../src-main/core/msel/import.ts';
import { parseScenarioText } from '../../src-main/core/scenario/validate.ts';
import { MAX_BODY_BYTES, startWebHost, type WebHost } from '../../src-main/hosts/web/server.ts';
import { FileReadError, readFileBase64, readFileText } from '../../src-renderer/src/lib/files.ts';
import { rawRequest } from '../helpers/http.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { tempDir } from '../helpers/tmp.ts';

let host: WebHost;
let services: Services;
const data = tempDir();
const renderer = tempDir();

beforeAll(async () => {
  writeFileSync(join(renderer.dir, 'index.html'), '<!doctype html><title>Sandtable</title>');
  services = openApp({ dataDir: data.dir, host: 'web', version: '0.0.0-test', scenariosDir: join(data.dir, 'none') });
  host = await startWebHost({ services, rendererDir: renderer.dir, port: 0 });
});

afterAll(async () => {
  await host.close();
  services.close();
  data.cleanup();
  renderer.cleanup();
});

async function call(method: string, input: unknown) {
  const res = await rawRequest(host.port, {
    method: 'POST',
    path: '/api/call',
    headers: { 'Content-Type': 'application/json', Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}` },
    body: JSON.stringify({ method, input }),
  });
  return { status: res.status, body: JSON.parse(res.body) as { ok: boolean; result?: unknown; error?: { message: string; path?: string } } };
}

/** A valid scenario file of exactly `bytes` UTF-8 bytes (JSON allows trailing white space). */
function scenarioOfSize(bytes: number, id: string): string {
  const input = engineTestScenarioInput();
  const json = JSON.stringify({ ...input, meta: { ...input.meta, id } });
  return json + ' '.repeat(bytes - Buffer.byteLength(json));
}

const asFile = (content: string | Uint8Array, name: string) => new File([content as BlobPart], name);

describe('size limits, one place for every layer', () => {
  it('a scenario file at its limit passes the renderer, the host, the contract and core; one byte more is refused by each in the same words', async () => {
    const refusal = tooLarge(SCENARIO_FILE);
    const atLimit = scenarioOfSize(SCENARIO_FILE.bytes, 'at-the-limit');
    const over = scenarioOfSize(SCENARIO_FILE.bytes + 1, 'one-byte-over');

    // The renderer's picker.
    await expect(readFileText(asFile(atLimit, 'at.json'), { limit: SCENARIO_FILE })).resolves.toHaveLength(SCENARIO_FILE.bytes);
    await expect(readFileText(asFile(over, 'over.json'), { limit: SCENARIO_FILE })).rejects.toThrow(new FileReadError(`“over.json” ${refusal} (it is 5.0 MiB).`));
    // Core, from text and from a file on disk.
    expect(parseScenarioText(atLimit).ok).toBe(true);
    expect(parseScenarioText(over)).toMatchObject({ ok: false, errors: [{ pointer: '', message: expect.stringContaining(refusal) }] });
    const path = join(data.dir, 'over.json');
    writeFileSync(path, over);
    expect(readScenarioFile(path)).toMatchObject({ ok: false, errors: [{ message: expect.stringContaining(refusal) }] });
    // The contract, through the real web host (which lets both through: its own limit never speaks first).
    const imported = await call('library.import', { fileName: 'at.json', text: atLimit });
    expect(imported).toMatchObject({ status: 200, body: { ok: true, result: { ok: true, scenario: { id: 'at-the-limit' } } } });
    const refused = await call('library.import', { fileName: 'over.json', text: over });
    expect(refused.body).toMatchObject({ ok: false, error: { path: '/text', message: `/text: ${refusal}` } });
    // Non-ASCII counts in UTF-8 bytes, not characters, in the contract as in core.
    const wide = atLimit.slice(0, -3) + '\u00e9\u00e9'; // one byte more than the limit, two characters fewer
    expect(methods['library.import'].input.safeParse({ text: wide }).error?.issues[0]?.message).toBe(refusal);
  });

  it('an upload (bundle, session archive, workbook) at its limit passes the renderer, the host and the contract; one byte more is refused in the same words', async () => {
    const refusal = tooLarge(UPLOAD);
    const atLimit = new Uint8Array(UPLOAD.bytes).fill(7);
    const over = new Uint8Array(UPLOAD.bytes + 1).fill(7);
    const base64 = await readFileBase64(asFile(atLimit, 'at.sandtable-session'), UPLOAD);
    expect(base64Bytes(base64)).toBe(UPLOAD.bytes);
    await expect(readFileBase64(asFile(over, 'over.sandtable-session'), UPLOAD)).rejects.toThrow(`“over.sandtable-session” ${refusal}`);
    const overBase64 = Buffer.from(over).toString('base64');
    for (const method of ['sessionBundle.import', 'library.importBundle', 'msel.previewWorkbook'] as const) {
      const schema = methods[method].input;
      expect(schema.safeParse({ base64 }).success, method).toBe(true);
      expect(schema.safeParse({ base64: overBase64 }).error?.issues[0]?.message, method).toBe(refusal);
    }
    // Through the host: the upload at the limit reaches the service (which finds it is not an archive); over it, the contract's words.
    const reached = await call('sessionBundle.import', { base64 });
    expect(reached.status).not.toBe(413);
    expect(reached.body.error?.message).not.toContain('larger than');
    expect((await call('sessionBundle.import', { base64: overBase64 })).body).toMatchObject({ ok: false, error: { path: '/base64', message: `/base64: ${refusal}` } });
    // A scenario picked with its images: the same limit in all.
    const half = Buffer.alloc(IMPORT_FILES_TOTAL.bytes / 2 + 1, 1).toString('base64');
    expect(
      methods['library.importFiles'].input.safeParse({
        files: [
          { path: 'a.png', base64: half },
          { path: 'b.png', base64: half },
        ],
      }).error?.issues[0]?.message,
    ).toBe(tooLarge(IMPORT_FILES_TOTAL));
  });

  it('an MSEL at its limit passes the renderer, the contract and core; one character more is refused in the same words', async () => {
    const refusal = tooLarge(MSEL_TEXT);
    const atLimit = 'a'.repeat(MSEL_TEXT.bytes);
    await expect(readFileText(asFile(atLimit, 'm.csv'), { limit: MSEL_TEXT })).resolves.toHaveLength(MSEL_TEXT.bytes);
    await expect(readFileText(asFile(atLimit + 'a', 'm.csv'), { limit: MSEL_TEXT })).rejects.toThrow(refusal);
    expect(methods['msel.previewImport'].input.safeParse({ csv: atLimit }).success).toBe(true);
    expect(methods['msel.previewImport'].input.safeParse({ csv: atLimit + 'a' }).error?.issues[0]?.message).toBe(refusal);
    expect(previewMselImport(atLimit + 'a').problems[0]?.message).toBe(`the file ${refusal}`);
  });

  it('derives the hosts’ bodies from the largest legal input, so a host never refuses what the contract accepts', () => {
    expect(MAX_BODY_BYTES).toBe(REQUEST_BODY.bytes);
    // The largest scenario, JSON-escaped at worst, and the largest upload as base64, fit a request.
    expect(REQUEST_BODY.bytes).toBeGreaterThan(jsonStringBytes(SCENARIO_FILE.bytes));
    expect(REQUEST_BODY.bytes).toBeGreaterThan(base64Chars(UPLOAD.bytes));
    // A bundle holds a scenario at its limit, with room for images.
    expect(UPLOAD.bytes).toBeGreaterThan(SCENARIO_FILE.bytes);
    // The participants' listener takes a full hot wash: every question answered at the longest.
    const answers = Object.fromEntries(
      Array.from({ length: PARTICIPANT_LIMITS.feedbackQuestions }, (_, i) => [
        `q${i}`.padEnd(PARTICIPANT_LIMITS.feedbackQuestionIdChars, 'x'),
        '\u0001'.repeat(PARTICIPANT_LIMITS.feedbackAnswerChars),
      ]),
    );
    expect(methods['participant.feedback'].input.safeParse({ answers }).success).toBe(true);
    expect(Buffer.byteLength(JSON.stringify({ method: 'participant.feedback', input: { answers } }))).toBeLessThanOrEqual(PARTICIPANT_REQUEST_BODY.bytes);
  });
});
