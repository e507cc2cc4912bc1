import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { CadesSigner } from './cades.js';
import { signatureText, signingKey } from './key.js';

const signer = new SignPdf();

/**
 * The trailer of the update @signpdf adds has no /ID, which PDF/A requires in
 * the last trailer: the file's own identifier is carried over (its first part
 * never changes), a new second part marks this version. Inserted after the
 * cross-reference table, so no offset moves.
 */
function withTrailerId(pdf: Buffer, original: Buffer): Buffer {
  const tail = original.subarray(Math.max(0, original.length - 4096)).toString('latin1');
  const first = /\/ID\s*\[\s*<([0-9a-fA-F]+)>/.exec(tail)?.[1] ?? randomBytes(16).toString('hex');
  const at = pdf.lastIndexOf('trailer\n<<\n');
  if (at < 0) throw new Error('signature placeholder: no trailer found');
  const insertAt = at + 'trailer\n<<\n'.length;
  return Buffer.concat([pdf.subarray(0, insertAt), Buffer.from(`/ID [<${first}> <${randomBytes(16).toString('hex')}>]\n`), pdf.subarray(insertAt)]);
}

/**
 * @signpdf writes a text string of the signature dictionary as UTF-16 but
 * then encodes its bytes as UTF-8 (Buffer.from of a binary string), so Thai
 * reason, location and name come out garbled. They are given to it as ASCII
 * markers as long as their UTF-16 hex form, and the markers replaced by that
 * hex string afterwards: the same length, so no offset of the update moves.
 */
function thaiStrings(values: Record<'reason' | 'location' | 'name', string>): { markers: Record<'reason' | 'location' | 'name', string>; mend(placed: Buffer, from: number): Buffer } {
  const hexOf = (s: string) => Buffer.from(`\ufeff${s}`, 'utf16le').swap16().toString('hex');
  const entries = Object.entries(values).map(([key, value], i) => {
    const hex = hexOf(value);
    // Only in the update @signpdf appends (searched from the original's end), so the document's text cannot hold it.
    const marker = `SRB${i}`.padEnd(hex.length, 'x');
    return { key, hex, marker };
  });
  return {
    markers: Object.fromEntries(entries.map((e) => [e.key, e.marker])) as Record<'reason' | 'location' | 'name', string>,
    mend(placed, from) {
      for (const e of entries) {
        const at = placed.indexOf(`(${e.marker})`, from, 'latin1');
        if (at < 0) throw new Error(`signature placeholder: the ${e.key} was not written`);
        placed.write(`<${e.hex}>`, at, 'latin1');
      }
      return placed;
    },
  };
}

/**
 * Signs a whole PDF with the service's key (PAdES B-B, see CadesSigner): an
 * incremental update adds an invisible signature field on the first page
 * whose byte range covers the whole file but the signature itself. Reason and
 * location come from the settings, the name from the certificate, the signing
 * time is `now`.
 */
export async function signPdf(pdf: Buffer, now = new Date()): Promise<Buffer> {
  const k = signingKey();
  const { reason, location } = signatureText();
  const chainBytes = k.chain.reduce((n, c) => n + c.length, 0);
  const text = thaiStrings({ reason, location, name: k.name });
  const placed = plainAddPlaceholder({
    pdfBuffer: pdf,
    ...text.markers,
    contactInfo: '',
    signingTime: now,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    // Room for the chain, the attributes and a 4096-bit signature.
    signatureLength: Math.max(8192, chainBytes + 2048),
    appName: 'Saraban',
  });
  return signer.sign(withTrailerId(text.mend(placed, Math.max(0, pdf.length - 16)), pdf), new CadesSigner(k));
}

/** signPdf on a file, replaced only once signed. */
export async function signPdfFile(path: string, now = new Date()): Promise<void> {
  const signed = await signPdf(await readFile(path), now);
  await writeFile(`${path}.signing`, signed);
  await rename(`${path}.signing`, path);
}
