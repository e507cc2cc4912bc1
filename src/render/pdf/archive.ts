import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * PDF/A-3b (ISO 19005-3, level B): what Saraban adds to a PDF for archives.
 * pdfkit writes most of it when a document is made with `subset: 'PDF/A-3b'`
 * and PDF 1.7 (pdfmake passes both): the XMP packet with the PDF/A
 * identification, an sRGB output intent with its ICC profile, fonts embedded
 * with ToUnicode maps (always so), and associated files (`doc.file`, /AF).
 * What it gets wrong is mended here: its XMP writes the Info values
 * unescaped (a title with `&` or `<` would be broken XML) and leaves out the
 * modification date. concatPdfs writes the same XMP for a joined document.
 * Transparency: PDF/A-3 allows it, and there is none anyway: a PNG emblem's
 * alpha is blended onto white once (prepareEmblem), the placeholder is vectors.
 */
export type ArchiveLevel = 'pdf/a-3b';

/** The document's metadata, the same in the Info dictionary and the XMP. */
export interface ArchiveMeta {
  title: string;
  subject?: string;
  author?: string;
  created: Date;
}

/** A file carried inside the PDF as an associated file (/AF, AFRelationship /Data). */
export interface Attachment {
  name: string;
  description: string;
  /** JSON text. */
  json: string;
}

const require = createRequire(import.meta.url);

const xml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const xmpDate = (d: Date): string => `${d.toISOString().split('.')[0]}Z`;

interface InfoLike { Title?: string; Author?: string; Subject?: string; Keywords?: string; Creator?: string; Producer?: string; CreationDate: Date; ModDate?: Date }

/** The XMP descriptions of a document's Info values (xmp, dc and pdf schemas). */
export function xmpDescriptions(info: InfoLike): string {
  const out = [
    `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">`,
    `<xmp:CreateDate>${xmpDate(info.CreationDate)}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${xmpDate(info.ModDate ?? info.CreationDate)}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${xmpDate(info.ModDate ?? info.CreationDate)}</xmp:MetadataDate>`,
    ...(info.Creator ? [`<xmp:CreatorTool>${xml(info.Creator)}</xmp:CreatorTool>`] : []),
    '</rdf:Description>',
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">`,
    '<dc:format>application/pdf</dc:format>',
    ...(info.Title ? [`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(info.Title)}</rdf:li></rdf:Alt></dc:title>`] : []),
    ...(info.Author ? [`<dc:creator><rdf:Seq><rdf:li>${xml(info.Author)}</rdf:li></rdf:Seq></dc:creator>`] : []),
    ...(info.Subject ? [`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(info.Subject)}</rdf:li></rdf:Alt></dc:description>`] : []),
    '<dc:language><rdf:Bag><rdf:li>th-TH</rdf:li></rdf:Bag></dc:language>',
    '</rdf:Description>',
    `<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">`,
    ...(info.Producer ? [`<pdf:Producer>${xml(info.Producer)}</pdf:Producer>`] : []),
    ...(info.Keywords ? [`<pdf:Keywords>${xml(info.Keywords)}</pdf:Keywords>`] : []),
    '</rdf:Description>',
  ];
  return out.join('\n');
}

const PDFA_ID = `<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">\n<pdfaid:part>3</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n</rdf:Description>`;

/** A whole XMP packet for PDF/A-3b (for a document concatPdfs joins). */
export function xmpPacket(info: InfoLike): string {
  return [
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    xmpDescriptions(info),
    PDFA_ID,
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}

let icc: Buffer | undefined;
/** pdfkit's sRGB IEC61966-2.1 profile, the one its PDF/A output intent embeds. */
export function srgbProfile(): Buffer {
  icc ??= readFileSync(join(dirname(require.resolve('pdfkit')), 'data', 'sRGB_IEC61966_2_1.icc'));
  return icc;
}

let patched = false;
/** pdfkit's XMP with its values escaped and the modification date (see the module's comment). */
export function applyArchivePatch(): void {
  if (patched) return;
  const PDFDocument = require('pdfkit') as { prototype: { _addInfo(this: { info: InfoLike; appendXML(x: string): void }): void } };
  PDFDocument.prototype._addInfo = function addInfo() {
    this.appendXML(xmpDescriptions(this.info));
  };
  patched = true;
}

/** What pdfmake's document definition takes for a PDF/A-3b document with its associated files. */
export function archiveDefinition(meta: ArchiveMeta, attachments: Attachment[]): Record<string, unknown> {
  applyArchivePatch();
  const files: Record<string, unknown> = {};
  for (const a of attachments) {
    files[a.name] = {
      src: `data:application/json;base64,${Buffer.from(a.json, 'utf8').toString('base64')}`,
      name: a.name,
      type: 'application/json',
      relationship: 'Data',
      description: a.description,
      creationDate: meta.created,
      modifiedDate: meta.created,
    };
  }
  return {
    version: '1.7',
    subset: 'PDF/A-3b',
    info: { title: meta.title, subject: meta.subject, author: meta.author, creator: 'Saraban', producer: 'Saraban', creationDate: meta.created, modDate: meta.created },
    files,
  };
}
