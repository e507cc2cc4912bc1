import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { listForms, ValidationError } from './forms/registry.js';
import { renderForm, UnknownFormError } from './service.js';
import type { OutputFormat } from './render/index.js';

const USAGE = `saraban: official Thai documents as PDF and DOCX

  saraban forms                                   list the forms
  saraban render <form-id> <data.json> -o <out.pdf|out.docx> [--format pdf|docx]
`;

function fail(message: string): never {
  process.stderr.write(message.endsWith('\n') ? message : message + '\n');
  process.exit(2);
}

export async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { output: { type: 'string', short: 'o' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) { process.stdout.write(USAGE); return; }
  if (command === 'forms') {
    for (const f of listForms()) process.stdout.write(`${f.id.padEnd(18)} ${f.title.th} / ${f.title.en}\n`);
    return;
  }
  if (command === 'render') {
    const [formId, dataFile] = rest;
    if (!formId || !dataFile) fail(USAGE);
    const out = values.output ?? fail('missing -o <output file>');
    const format = (values.format ?? extname(out).slice(1).toLowerCase()) as OutputFormat;
    if (format !== 'pdf' && format !== 'docx') fail(`unknown format "${format}": use .pdf or .docx, or --format`);
    let input: unknown;
    try { input = JSON.parse(readFileSync(dataFile, 'utf8')); } catch (e) { fail(`cannot read ${dataFile} as JSON: ${(e as Error).message}`); }
    try {
      const file = await renderForm(formId, input, format);
      // Write beside the target and rename, so a failed run never leaves a half-written file.
      const tmp = `${out}.part`;
      writeFileSync(tmp, file.data);
      renameSync(tmp, out);
      process.stdout.write(`${out} (${file.data.length} bytes)\n`);
    } catch (e) {
      if (e instanceof ValidationError) fail(`ข้อมูลไม่ถูกต้อง / invalid input:\n${e.errors.map((x) => `  ${x.path}: ${x.th} / ${x.en}`).join('\n')}`);
      if (e instanceof UnknownFormError) fail(`ไม่พบแบบฟอร์ม / unknown form: ${formId} (saraban forms lists them)`);
      throw e;
    }
    return;
  }
  fail(USAGE);
}
