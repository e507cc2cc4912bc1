import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../fonts/registry.js';
import { ValidationError } from '../validation.js';
import { lintDocx, lintForm, type Finding } from './pages.js';

/**
 * npm run lint:pages [-- [--docx] <form-id> <data.json> ...]
 *
 *
 * Lints the pages of each document: with no files, every shipped example
 * (examples/<form-id>/*.json). With --docx, the Word file too, through
 * LibreOffice. Prints each document's findings by page; exits 1 when there
 * are any, 2 when a document could not be made.
 */
const args = process.argv.slice(2);
const docx = args.includes('--docx');
const rest = args.filter((a) => a !== '--docx');

function examples(): [string, string][] {
  const dir = join(PROJECT_ROOT, 'examples');
  return readdirSync(dir).sort().flatMap((form) => {
    const sub = join(dir, form);
    if (!existsSync(sub) || form === 'batch') return [];
    return readdirSync(sub).filter((f) => f.endsWith('.json') && f !== 'shared.json').sort().map((f) => [form, join(sub, f)] as [string, string]);
  });
}

const pairs: [string, string][] = rest.length === 0 ? examples() : [];
for (let i = 0; i + 1 < rest.length; i += 2) pairs.push([rest[i]!, rest[i + 1]!]);
if (rest.length % 2 === 1) {
  process.stderr.write('usage: npm run lint:pages -- [--docx] [<form-id> <data.json> ...]\n');
  process.exit(2);
}

const print = (label: string, pages: number, findings: Finding[]) => {
  process.stdout.write(`${label}: ${pages} pages, ${findings.length === 0 ? 'no findings' : `${findings.length} finding(s)`}\n`);
  for (const f of findings) process.stdout.write(`  page ${f.page}  ${f.rule}  ${f.th} / ${f.en}${f.text ? `  «${f.text}»` : ''}\n`);
};

let total = 0;
let failed = false;
for (const [formId, file] of pairs) {
  try {
    const input = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const pdf = lintForm(formId, input);
    print(`${formId} ${file} (PDF)`, pdf.pages, pdf.findings);
    total += pdf.findings.length;
    if (docx) {
      const { renderForm } = await import('../service.js');
      // The Word file names the shipped Sarabun, which LibreOffice is given: the page an office gets with TH Sarabun installed.
      const withFont = { ...(input as Record<string, unknown>), options: { ...((input as { options?: object }).options ?? {}), font: 'Sarabun' } };
      const word = await lintDocx((await renderForm(formId, withFont, 'docx')).data);
      print(`${formId} ${file} (DOCX)`, word.pages, word.findings);
      total += word.findings.length;
    }
  } catch (e) {
    failed = true;
    const why = e instanceof ValidationError ? e.errors.map((x) => `${x.path}: ${x.th} / ${x.en}`).join('; ') : e instanceof Error ? e.message : String(e);
    process.stdout.write(`${formId} ${file}: could not be made: ${why}\n`);
  }
}
process.stdout.write(`${pairs.length} document(s), ${total} finding(s)\n`);
process.exit(failed ? 2 : total > 0 ? 1 : 0);
