import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { createApp } from '../src/http/app.js';
import { BatchManager } from '../src/batch/manager.js';
import { JobStore } from '../src/batch/jobs.js';
import { RenderPool } from '../src/batch/pool.js';
import { makeTestCerts, type TestCerts } from './helpers/certs.js';
import { archiveChecks } from './helpers/archive.js';
import { binary } from './helpers/http.js';
import { unzip } from './helpers/zip.js';

/**
 * Issue 18 in batch jobs: the job's shared `options` archive and sign every
 * document, in a ZIP one by one, in a merged PDF the whole file once (its
 * parts' signatures cannot survive the joining), with every document's data.
 */

const dir = mkdtempSync(join(tmpdir(), 'saraban-archive-batch-'));
let certs: TestCerts;
let pool: RenderPool;
let app: Express;
let checks: ReturnType<typeof archiveChecks>;

beforeAll(() => {
  certs = makeTestCerts();
  checks = archiveChecks(dir, certs.nssDir);
  // Before the render threads start: they read the certificate from the settings.
  process.env.SARABAN_SIGN_P12 = certs.p12;
  process.env.SARABAN_SIGN_P12_PASSWORD = certs.password;
  pool = new RenderPool(1);
  const jobs = new BatchManager(new JobStore(join(dir, 'jobs')), pool);
  app = createApp({ batch: () => jobs, pool });
});

afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(certs.dir, { recursive: true, force: true });
});

const shared = { ...JSON.parse(readFileSync(new URL('../examples/applicant-fees/shared.json', import.meta.url), 'utf8')), options: { archive: 'pdf/a-3b', sign: true } };
const csv = readFileSync(new URL('../examples/applicant-fees/sample.csv', import.meta.url));

async function runJob(output: 'zip' | 'pdf'): Promise<Buffer> {
  const accepted = await request(app).post('/api/v1/batch/applicant-fees')
    .field('shared', JSON.stringify(shared)).field('output', output).attach('file', csv, 'sample.csv').expect(202);
  for (;;) {
    const job = (await request(app).get(`/api/v1/jobs/${accepted.body.id}`).expect(200)).body;
    if (job.state === 'failed') throw new Error(JSON.stringify(job.error ?? job.groupErrors));
    if (job.state === 'done') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return (await request(app).get(`/api/v1/jobs/${accepted.body.id}/result`).buffer(true).parse(binary).expect(200)).body as Buffer;
}

describe('archived, signed batch documents', () => {
  it('signs each document of a ZIP, each with its own data', async () => {
    const files = [...unzip(await runJob('zip'))].filter(([name]) => name.endsWith('.pdf'));
    expect(files.length).toBe(2);
    const authorities = new Set<string>();
    for (const [name, bytes] of files) {
      const file = checks.expectArchivedAndSigned(bytes, name);
      const data = checks.detached(file);
      expect([...data.keys()].sort(), name).toEqual(['data-computed.json', 'data.json']);
      const doc = JSON.parse(data.get('data.json')!) as { round: unknown; applicants: { authority: string }[] };
      expect(doc.round).toEqual(shared.round);
      expect(doc).not.toHaveProperty('options');
      authorities.add(doc.applicants[0]!.authority);
    }
    expect(authorities.size).toBe(2);
  }, 120_000);

  it('signs a merged PDF once whole, PDF/A-3b, with every document\'s data under its number', async () => {
    const pdf = await runJob('pdf');
    const file = checks.expectArchivedAndSigned(pdf, 'merged');
    // One signature: the parts' own were cut off before joining.
    expect(checks.pdfsig(file).match(/Signature #\d/g)).toEqual(['Signature #1']);
    const data = checks.detached(file);
    expect([...data.keys()].sort()).toEqual(['1-data-computed.json', '1-data.json', '2-data-computed.json', '2-data.json']);
    const authorities = ['1-data.json', '2-data.json'].map((k) => (JSON.parse(data.get(k)!) as { applicants: { authority: string }[] }).applicants[0]!.authority);
    expect(new Set(authorities).size).toBe(2);
  }, 120_000);
});
