import { randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { srgbProfile, xmpPacket, type ArchiveMeta } from './archive.js';

/** Output waits in memory up to this much before it is written. */
const FLUSH_BYTES = 1 << 20;

/**
 * Joins PDF files written by our renderer (pdfkit: classic cross-reference
 * table, uncompressed dictionaries, a flat page tree) into one, copying their
 * objects byte for byte with new numbers. A general PDF library parses and
 * re-serialises every object (pdf-lib took 3 ms a page); this only rewrites
 * the `N 0 R` references of each object's dictionary, so a 4,000-page batch
 * is joined about as fast as it is read from disk, one part in memory at a time.
 *
 * The joined file is what its parts are (a batch job's merged PDF, whose
 * documents were rendered with the job's options): PDF/A-3b when every part
 * is (or when `info.archive` says so), with one XMP packet, one output intent
 * and every part's data files; signed once whole when a part was signed, the
 * parts' own signatures being cut off (a signature covers one file's bytes
 * and cannot survive the renumbering).
 */
export async function concatPdfs(parts: string[], out: string, info: { title?: string; bookmarks?: string[]; archive?: ArchiveMeta } = {}): Promise<number> {
  const file = await open(out, 'w');
  let offset = 0;
  const offsets: number[] = [0];
  // Chunks wait here and go to disk a megabyte at a time, not one write per object.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const write = (chunk: Buffer | string) => {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    pending.push(b);
    pendingBytes += b.length;
    offset += b.length;
  };
  const flush = async () => {
    await file.write(Buffer.concat(pending));
    pending = [];
    pendingBytes = 0;
  };
  // Object 1 is the joined page tree, 2 the catalog, 3 the info dictionary; parts follow.
  const PAGES = 1;
  let next = 4;
  const kids: number[] = [];
  // The first page of each part, for its bookmark.
  const firstPages: number[] = [];
  // PDF/A: each part's associated files (/AF), by their file name and document, for the joined catalog.
  const files: { name: string; doc: number; ref: number }[] = [];
  const specs: { n: number; text: string; doc: number }[] = [];
  let everyPartArchived = parts.length > 0;
  let signed = false;
  try {
    write('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
    for (const path of parts) {
      const first = firstRevision(await readFile(path));
      const pdf = first.pdf;
      signed ||= first.signed;
      const part = parsePart(pdf);
      everyPartArchived &&= part.archived;
      const renumber = new Map<number, number>([[part.pagesRoot, PAGES]]);
      for (const n of part.objects.keys()) if (!part.dropped.has(n)) renumber.set(n, next++);
      const ref = (n: number) => {
        const m = renumber.get(n);
        if (m === undefined) throw new Error(`PDF part ${path}: reference to a dropped object ${n}`);
        return m;
      };
      const fileSpecs = new Set(part.files.map((f) => f.ref));
      for (const [n, range] of part.objects) {
        if (part.dropped.has(n)) continue;
        offsets[ref(n)] = offset;
        const body = pdf.subarray(range.start, range.end);
        // Only the dictionary is text to rewrite; a stream's bytes are copied as they are.
        const streamAt = body.indexOf('stream');
        const head = (streamAt < 0 ? body : body.subarray(0, streamAt)).toString('latin1');
        const rewritten = head
          .replace(/^\s*\d+ 0 obj/, `${ref(n)} 0 obj`)
          .replace(/(\d+) 0 R\b/g, (_m, k: string) => `${ref(Number(k))} 0 R`);
        // A data file's specification waits for the end, where its name is known to be unique in the joined file.
        if (fileSpecs.has(n) && streamAt < 0) specs.push({ n: ref(n), text: rewritten, doc: firstPages.length + 1 });
        else write(rewritten);
        if (streamAt >= 0) write(body.subarray(streamAt));
        if (pendingBytes >= FLUSH_BYTES) await flush();
      }
      for (const af of part.files) files.push({ name: af.name, doc: firstPages.length + 1, ref: ref(af.ref) });
      firstPages.push(ref(part.kids[0]!));
      for (const kid of part.kids) kids.push(ref(kid));
      await flush();
    }
    offsets[PAGES] = offset;
    write(`${PAGES} 0 obj\n<<\n/Type /Pages\n/Count ${kids.length}\n/Kids [${kids.map((k) => `${k} 0 R`).join(' ')}]\n>>\nendobj\n`);
    // One bookmark (outline entry) per part, titled as given, opening the part's first page.
    const marks = (info.bookmarks ?? []).slice(0, parts.length);
    let outlines = '';
    if (marks.length > 0) {
      const root = next++;
      const items = marks.map(() => next++);
      outlines = `/Outlines ${root} 0 R\n/PageMode /UseOutlines\n`;
      offsets[root] = offset;
      write(`${root} 0 obj\n<<\n/Type /Outlines\n/First ${items[0]} 0 R\n/Last ${items[items.length - 1]} 0 R\n/Count ${items.length}\n>>\nendobj\n`);
      items.forEach((n, k) => {
        offsets[n] = offset;
        const links = `${k > 0 ? `/Prev ${items[k - 1]} 0 R\n` : ''}${k < items.length - 1 ? `/Next ${items[k + 1]} 0 R\n` : ''}`;
        write(`${n} 0 obj\n<<\n/Title ${pdfString(marks[k]!)}\n/Parent ${root} 0 R\n${links}/Dest [${firstPages[k]} 0 R /Fit]\n>>\nendobj\n`);
      });
    }
    // A data file's name met twice gets its document's number (1-data.json, 2-data.json), in the name tree and
    // in its file specification both, so pdfdetach -saveall writes every file.
    const keyed = files.map((f, i) => ({ ...f, key: files.some((g, j) => j !== i && g.name === f.name) ? `${f.doc}-${f.name}` : f.name }));
    for (const spec of specs) {
      const f = keyed.find((x) => x.ref === spec.n);
      offsets[spec.n] = offset;
      write(!f || f.key === f.name ? spec.text : spec.text.replace(/\/(U?F) \([^)]*\)/g, (_m, k: string) => `/${k} (${f.key})`));
    }
    // PDF/A-3b: the XMP, the sRGB output intent and the parts' data files, as pdfkit writes them for one part.
    const archive = info.archive ?? (everyPartArchived ? { title: info.title ?? '', created: new Date() } : undefined);
    let archived = '';
    let archivedInfo = '';
    if (archive) {
      const xmp = Buffer.from(xmpPacket({ Title: archive.title, Subject: archive.subject, Author: archive.author, Creator: 'Saraban', Producer: 'Saraban', CreationDate: archive.created, ModDate: archive.created }), 'utf8');
      const [meta, profile, intent] = [next++, next++, next++];
      offsets[meta] = offset;
      write(`${meta} 0 obj\n<<\n/Type /Metadata\n/Subtype /XML\n/Length ${xmp.length}\n>>\nstream\n`);
      write(xmp);
      write('\nendstream\nendobj\n');
      const icc = srgbProfile();
      offsets[profile] = offset;
      write(`${profile} 0 obj\n<<\n/N 3\n/Length ${icc.length}\n>>\nstream\n`);
      write(icc);
      write('\nendstream\nendobj\n');
      offsets[intent] = offset;
      write(`${intent} 0 obj\n<<\n/Type /OutputIntent\n/S /GTS_PDFA1\n/Info (sRGB IEC61966-2.1)\n/OutputConditionIdentifier (sRGB IEC61966-2.1)\n/DestOutputProfile ${profile} 0 R\n>>\nendobj\n`);
      const named = [...keyed].sort((a, b) => Buffer.compare(Buffer.from(a.key, 'utf8'), Buffer.from(b.key, 'utf8')));
      archived = `/Metadata ${meta} 0 R\n/OutputIntents [${intent} 0 R]\n/MarkInfo << /Marked false >>\n`
        + (files.length > 0 ? `/AF [${files.map((f) => `${f.ref} 0 R`).join(' ')}]\n/Names << /EmbeddedFiles << /Names [${named.map((f) => `${pdfString(f.key)} ${f.ref} 0 R`).join(' ')}] >> >>\n` : '');
      archivedInfo = `/CreationDate (${pdfDate(archive.created)})\n/ModDate (${pdfDate(archive.created)})\n`
        + (archive.subject ? `/Subject ${pdfString(archive.subject)}\n` : '') + (archive.author ? `/Author ${pdfString(archive.author)}\n` : '');
    }
    offsets[2] = offset;
    write(`2 0 obj\n<<\n/Type /Catalog\n/Pages ${PAGES} 0 R\n${outlines}${archived}/Lang (th-TH)\n>>\nendobj\n`);
    offsets[3] = offset;
    write(`3 0 obj\n<<\n/Producer (Saraban)\n/Creator (Saraban)\n/Title ${pdfString(archive?.title ?? info.title ?? '')}\n${archivedInfo}>>\nendobj\n`);
    const xref = offset;
    const entries = offsets.map((o, i) => (i === 0 ? '0000000000 65535 f \n' : `${String(o).padStart(10, '0')} 00000 n \n`));
    // PDF/A wants the file's identifier in the trailer.
    const id = archive ? `/ID [<${randomBytes(16).toString('hex')}> <${randomBytes(16).toString('hex')}>]\n` : '';
    write(`xref\n0 ${offsets.length}\n${entries.join('')}trailer\n<<\n/Size ${offsets.length}\n/Root 2 0 R\n/Info 3 0 R\n${id}>>\nstartxref\n${xref}\n%%EOF\n`);
    await flush();
  } finally {
    await file.close();
  }
  if (signed) await (await import('../../sign/signPdf.js')).signPdfFile(out);
  return kids.length;
}

/**
 * A part as its renderer wrote it: when its last update is a signature's
 * (signPdf appends one, its trailer's /Prev naming the first cross-reference
 * table), the bytes up to the first revision's %%EOF.
 */
function firstRevision(pdf: Buffer): { pdf: Buffer; signed: boolean } {
  const tail = pdf.subarray(Math.max(0, pdf.length - 1024)).toString('latin1');
  const prev = /\/Prev (\d+)[\s\S]*startxref\s+\d+\s+%%EOF\s*$/.exec(tail)?.[1];
  if (prev === undefined) return { pdf, signed: false };
  const end = pdf.indexOf('%%EOF', Number(prev), 'latin1');
  const update = pdf.subarray(end).toString('latin1');
  if (end < 0 || !/\/Type \/Sig\b/.test(update)) throw new Error('a PDF part with an update that is not a signature');
  return { pdf: pdf.subarray(0, end + '%%EOF'.length), signed: true };
}

/** A PDF date, as pdfkit writes it (UTC). */
const pdfDate = (d: Date): string => `D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

/** A PDF text string: UTF-16BE with a BOM, as hex, so Thai titles survive. */
function pdfString(s: string): string {
  const b = Buffer.from(`\ufeff${s}`, 'utf16le').swap16();
  return `<${b.toString('hex')}>`;
}

interface Part {
  objects: Map<number, { start: number; end: number }>;
  dropped: Set<number>;
  pagesRoot: number;
  kids: number[];
  /** The part's associated files (PDF/A): file specification objects and their names. */
  files: { ref: number; name: string }[];
  /** Whether the part is PDF/A (its catalog has an XMP packet and an output intent). */
  archived: boolean;
}

function parsePart(pdf: Buffer): Part {
  const tail = pdf.subarray(Math.max(0, pdf.length - 1024)).toString('latin1');
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!startxref) throw new Error('not a PDF with a cross-reference table');
  const xrefAt = Number(startxref[1]);
  const xrefText = pdf.subarray(xrefAt).toString('latin1');
  if (!xrefText.startsWith('xref')) throw new Error('cross-reference streams are not supported');
  const trailerAt = xrefText.indexOf('trailer');
  const lines = xrefText.slice(4, trailerAt).trim().split(/\r?\n/);
  const starts: { n: number; at: number }[] = [];
  for (let i = 0; i < lines.length;) {
    const [first, count] = lines[i]!.trim().split(/\s+/).map(Number);
    for (let k = 0; k < count!; k++) {
      const [at, , kind] = lines[i + 1 + k]!.trim().split(/\s+/);
      if (kind === 'n') starts.push({ n: first! + k, at: Number(at) });
    }
    i += 1 + count!;
  }
  starts.sort((a, b) => a.at - b.at);
  const objects = new Map<number, { start: number; end: number }>();
  starts.forEach((s, i) => objects.set(s.n, { start: s.at, end: i + 1 < starts.length ? starts[i + 1]!.at : xrefAt }));
  const trailer = xrefText.slice(trailerAt);
  const root = Number(/\/Root (\d+) 0 R/.exec(trailer)?.[1]);
  const infoRef = /\/Info (\d+) 0 R/.exec(trailer)?.[1];
  const objectText = (n: number) => {
    const r = objects.get(n);
    if (!r) throw new Error(`missing object ${n}`);
    return pdf.subarray(r.start, r.end).toString('latin1');
  };
  const pagesRoot = Number(/\/Pages (\d+) 0 R/.exec(objectText(root))?.[1]);
  const kidsText = /\/Kids \[([^\]]*)\]/.exec(objectText(pagesRoot))?.[1] ?? '';
  const kids = [...kidsText.matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  for (const k of kids) if (/\/Type \/Pages\b/.test(objectText(k))) throw new Error('nested page trees are not supported');
  const dropped = new Set([root, pagesRoot, ...(infoRef ? [Number(infoRef)] : [])]);
  // The part's own XMP, output intent and name dictionary give way to the joined file's.
  const rootText = objectText(root);
  const refOf = (re: RegExp, text: string) => { const m = re.exec(text)?.[1]; return m ? Number(m) : undefined; };
  const metadata = refOf(/\/Metadata (\d+) 0 R/, rootText);
  const intent = refOf(/\/OutputIntents\s*\[\s*(\d+) 0 R/, rootText);
  for (const n of [metadata, refOf(/\/Names (\d+) 0 R/, rootText), intent, intent === undefined ? undefined : refOf(/\/DestOutputProfile (\d+) 0 R/, objectText(intent))]) {
    if (n !== undefined) dropped.add(n);
  }
  const files: { ref: number; name: string }[] = [];
  for (const m of (/\/AF \[([^\]]*)\]/.exec(rootText)?.[1] ?? '').matchAll(/(\d+) 0 R/g)) {
    const ref = Number(m[1]);
    files.push({ ref, name: /\/UF \(([^)]*)\)/.exec(objectText(ref))?.[1] ?? `file-${ref}` });
  }
  return { objects, dropped, pagesRoot, kids, files, archived: metadata !== undefined && intent !== undefined };
}
