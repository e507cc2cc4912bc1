import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { listForms, ValidationError } from './forms/registry.js';
import type { OutputFormat } from './render/contentTypes.js';

const USAGE = `saraban: official Thai documents as PDF and DOCX

  saraban forms [form-id]                         list the forms; with an id, the form's fields and the headers its batch files may use
  saraban render <form-id> <data.json> -o <out.pdf|out.docx> [--format pdf|docx]
  saraban compute <form-id> <data.json>           print the form's computed values (scores, totals) as JSON
  saraban batch <form-id> <rows.csv|rows.xlsx> -o <out.zip|out.pdf>
        [--shared shared.json] [--group-by authority|province|none] [--format pdf|docx] [--sheet name]
        [--map key=Header ...] [--map map.json]
                                                  one document per group of rows; .pdf merges them.
                                                  --map names the header of a column yourself, e.g.
                                                  --map "name=ชื่อ – สกุล" (repeatable), or a JSON file
                                                  {"name": "ชื่อ – สกุล"}; other columns are matched by name
`;

function fail(message: string): never {
  process.stderr.write(message.endsWith('\n') ? message : message + '\n');
  process.exit(2);
}

function readJson(file: string): unknown {
  try { return JSON.parse(readFileSync(file, 'utf8')); } catch (e) { fail(`cannot read ${file} as JSON: ${(e as Error).message}`); }
}

/** The renderers load only for the commands that render: a batch's main thread never draws. */
const service = () => import('./service.js');

function failOnInputError(e: unknown, formId: string, unknownForm: typeof import('./service.js').UnknownFormError): never {
  if (e instanceof ValidationError) fail(`ข้อมูลไม่ถูกต้อง / invalid input:\n${e.errors.map((x) => `  ${x.path}: ${x.th} / ${x.en}`).join('\n')}`);
  if (e instanceof unknownForm) fail(`ไม่พบแบบฟอร์ม / unknown form: ${formId} (saraban forms lists them)`);
  throw e;
}

export async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      shared: { type: 'string' }, 'group-by': { type: 'string' }, sheet: { type: 'string' }, map: { type: 'string', multiple: true },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) { process.stdout.write(USAGE); return; }
  if (command === 'forms') {
    const [formId] = rest;
    if (formId) {
      const { describeForm } = await import('./batch/cli.js');
      const text = describeForm(formId);
      if (text === undefined) fail(`ไม่พบแบบฟอร์ม / unknown form: ${formId} (saraban forms lists them)`);
      process.stdout.write(text);
      return;
    }
    for (const f of listForms()) process.stdout.write(`${f.id.padEnd(18)} ${f.title.th} / ${f.title.en}\n`);
    return;
  }
  if (command === 'batch') {
    const [formId, file] = rest;
    if (!formId || !file) fail(USAGE);
    const out = values.output ?? fail('missing -o <out.zip|out.pdf>');
    // The service's JSON log lines would mix with the progress bar: the CLI logs only warnings unless told.
    process.env.SARABAN_LOG_LEVEL ??= 'warn';
    const { runBatchCli } = await import('./batch/cli.js');
    process.exitCode = await runBatchCli({ formId, file, out, shared: values.shared, groupBy: values['group-by'], format: values.format, sheet: values.sheet, map: values.map });
    return;
  }
  if (command === 'compute') {
    const [formId, dataFile] = rest;
    if (!formId || !dataFile) fail(USAGE);
    const input = readJson(dataFile);
    const { computeFormValues, UnknownFormError } = await service();
    try {
      process.stdout.write(JSON.stringify(computeFormValues(formId, input), null, 2) + '\n');
    } catch (e) {
      failOnInputError(e, formId, UnknownFormError);
    }
    return;
  }
  if (command === 'render') {
    const [formId, dataFile] = rest;
    if (!formId || !dataFile) fail(USAGE);
    const out = values.output ?? fail('missing -o <output file>');
    const format = (values.format ?? extname(out).slice(1).toLowerCase()) as OutputFormat;
    if (format !== 'pdf' && format !== 'docx') fail(`unknown format "${format}": use .pdf or .docx, or --format`);
    const input = readJson(dataFile);
    const { renderForm, UnknownFormError } = await service();
    try {
      const file = await renderForm(formId, input, format);
      // Write beside the target and rename, so a failed run never leaves a half-written file.
      const tmp = `${out}.part`;
      writeFileSync(tmp, file.data);
      renameSync(tmp, out);
      process.stdout.write(`${out} (${file.data.length} bytes)\n`);
    } catch (e) {
      failOnInputError(e, formId, UnknownFormError);
    }
    return;
  }
  fail(USAGE);
}
