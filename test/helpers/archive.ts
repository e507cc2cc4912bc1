import { expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The checks of issue 18 on a PDF, with poppler's tools as a receiving office
 * would run them: pdfsig (trusting the test CA through `nssDir`), pdfinfo
 * -meta, pdffonts, pdfdetach. Files go to `work`.
 */
export function archiveChecks(work: string, nssDir: string) {
  let seq = 0;
  /** Writes a PDF to the work folder for a tool. */
  const saved = (pdf: Buffer): string => {
    const file = join(work, `${++seq}.pdf`);
    writeFileSync(file, pdf);
    return file;
  };

  /** pdfsig's report (it exits non-zero on a bad signature, so its status is not used). */
  const pdfsig = (file: string): string => {
    const r = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, file], { encoding: 'utf8' });
    return r.stdout + r.stderr;
  };

  /** The embedded files of a PDF by name, as pdfdetach extracts them. */
  const detached = (file: string): Map<string, string> => {
    const dir = mkdtempSync(join(work, 'files-'));
    execFileSync('pdfdetach', ['-saveall', '-o', dir, file]);
    return new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  };

  /** Every check of "done" on one signed, archived PDF. */
  const expectArchivedAndSigned = (pdf: Buffer, label: string): string => {
    const file = saved(pdf);
    const sig = pdfsig(file);
    expect(sig, label).toContain('Signature Type: ETSI.CAdES.detached');
    expect(sig, label).toContain('Signature Validation: Signature is Valid.');
    expect(sig, label).toContain('Certificate Validation: Certificate is Trusted.');
    // The byte range covers the whole file but the signature itself.
    expect(sig, label).toContain('Total document signed');
    expect(sig, label).toContain('Signer Certificate Common Name: นายทดสอบ ลงนาม');

    const xmp = execFileSync('pdfinfo', ['-meta', file], { encoding: 'utf8' });
    expect(xmp, label).toMatch(/<pdfaid:part>3<\/pdfaid:part>/);
    expect(xmp, label).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(xmp, label).toContain('<rdf:li>th-TH</rdf:li>');
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info, label).toMatch(/PDF version:\s+1\.7/);

    // Every font embedded and with a ToUnicode map (the `emb` and `uni` columns), and at least one font.
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim());
    expect(fonts.length, label).toBeGreaterThan(0);
    for (const row of fonts) {
      const [emb, , uni] = row.slice(row.search(/\b(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/)).split(/\s+/);
      expect([emb, uni], `${label}: ${row}`).toEqual(['yes', 'yes']);
    }

    // PDF/A's own parts, in the file as written: the sRGB output intent, the document language, the data files' relationship.
    const text = pdf.toString('latin1');
    expect(text, label).toMatch(/\/S \/GTS_PDFA1/);
    expect(text, label).toMatch(/\/Lang \(th-TH\)/);
    expect(text, label).toMatch(/\/AFRelationship \/Data/);
    expect(text, label).not.toMatch(/\/S \/Transparency/);
    // PDF/A wants the file identifier in the last trailer (the signature's update writes one).
    expect(/trailer\s*<<([\s\S]*?)>>\s*startxref\s*\d+\s*%%EOF\s*$/.exec(text)?.[1], label).toMatch(/\/ID \[<[0-9a-f]{32}> <[0-9a-f]{32}>\]/);
    return file;
  };

  return { saved, pdfsig, detached, expectArchivedAndSigned };
}
