import {
  AlignmentType, Document, Footer, Header, NumberFormat, Packer, PageNumber, PageOrientation, Paragraph, TextRun,
} from 'docx';
import { fontRegistry, OFFICIAL_LINE_HEIGHT_EM, type FontFamily } from '../../fonts/registry.js';
import { Measurer } from '../../layout/measure.js';
import { A4, fitModel, MARK_FROM_EDGE } from '../../layout/page.js';
import type { DocumentModel, RenderOptions } from '../../model/document.js';
import { defaultEmblem } from '../emblem.js';
import { buildBody, emptySpace } from './blocks.js';
import { StyleSheet, twips, type Look } from './styles.js';

/**
 * DOCX from the document model, with the same text as the PDF.
 *
 * Word lays the text out itself (line breaks, Thai distributed justification,
 * pagination), so this renderer writes structure and styles, not positions:
 * paragraphs with their alignment and indents, tab stops for label columns,
 * real tables, the emblem as a picture, page numbers as fields. The PDF's
 * "first word of the next page" marker has no Word equivalent and is left out.
 *
 * The font written is the official one (TH SarabunPSK by default) at the
 * model's sizes, which are official points; a font of another design that is
 * installed in fonts/ (Sarabun) is written at its scaled size, as in the PDF.
 */

export const DEFAULT_DOCX_FONT = 'TH SarabunPSK';

/** The font named in the DOCX: options.font, else SARABAN_DOCX_FONT, else TH SarabunPSK. */
export function docxFontName(options: RenderOptions = {}): string {
  return options.font?.trim() || process.env.SARABAN_DOCX_FONT?.trim() || DEFAULT_DOCX_FONT;
}

/**
 * Label columns (เรื่อง, อ้างถึง) are as wide as the PDF makes them, measured
 * with the PDF's font at official size. Without any font files a rough
 * estimate stands in: the column only has to hold the label.
 */
function measurer(options: RenderOptions): (text: string, look: Look) => number {
  let family: FontFamily | undefined;
  try {
    const registry = fontRegistry();
    family = options.font && registry.has(options.font) ? registry.get(options.font) : registry.defaultFamily();
  } catch {
    family = undefined;
  }
  if (family) {
    const m = new Measurer(family);
    return (text, look) => m.width(text, { size: look.size, bold: look.bold });
  }
  return (text, look) => text.replace(/[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]/g, '').length * look.size * 0.45;
}


/** Secrecy marks (ลับ, ลับมาก, ลับที่สุด): red, bold, 32 pt, like the urgency mark. */
const SECRECY_LOOK: Look = { size: 32, bold: true, color: 'D00000' };

function secrecyLine(styles: StyleSheet, mark: string): Paragraph {
  return new Paragraph({ style: styles.styleFor('Mark', SECRECY_LOOK), alignment: AlignmentType.CENTER, children: [new TextRun(mark)] });
}

/** `- ๒ -`: the PAGE field between dashes, centred (its digits follow the section's number format). */
function pageNumberLine(): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    children: [new TextRun({ children: ['- ', PageNumber.CURRENT, ' -'] })],
  });
}

/**
 * The model as the PDF sets it (layout's fitModel: a short balanced table a
 * size smaller where that keeps it on one page with its signature), laid out
 * in the font the PDF of the same options uses. Without font files, as given.
 */
function asThePdfSetsIt(model: DocumentModel, options: RenderOptions): DocumentModel {
  try {
    const registry = fontRegistry();
    const family = options.font && registry.has(options.font) ? registry.get(options.font) : registry.defaultFamily();
    return fitModel(model, family, registry.fallbackFamily());
  } catch {
    return model;
  }
}

export async function renderDocx(given: DocumentModel, options: RenderOptions = {}): Promise<Buffer> {
  const model = asThePdfSetsIt(given, options);
  const landscape = model.page.orientation === 'landscape';
  const width = landscape ? A4.height : A4.width;
  const { margins } = model.page;
  const contentWidth = width - margins.left - margins.right;
  const font = docxFontName(options);
  const registry = fontRegistry();
  const styles = new StyleSheet({ font, bodySize: model.fontSize, scale: registry.has(font) ? registry.get(font).scale : 1 });
  const firstPageHeader: Paragraph[] = [];
  const children = buildBody({
    model,
    contentWidth,
    styles,
    // Word keeps a PNG's transparency: the emblem goes in as supplied.
    emblem: options.emblem ?? defaultEmblem(),
    measure: measurer(options),
    firstPageHeader,
  });
  const numbers = model.page.pageNumbers;
  const secrecy = model.page.secrecy?.trim() || undefined;
  // The page number's line sits two body lines above the top margin, where the
  // PDF draws it; a secrecy mark goes above it, at the top centre of every page.
  const pitch = model.fontSize * OFFICIAL_LINE_HEIGHT_EM;
  const headerHeight = (numbers ? 2 * pitch : pitch) + (secrecy ? SECRECY_LOOK.size * OFFICIAL_LINE_HEIGHT_EM : 0);
  const numberFromTop = Math.max(14, margins.top - headerHeight);
  // A memo's urgency mark stands above its emblem, near the top edge: the header starts there,
  // and the other pages' header lines keep their place below an empty line of the difference.
  const headerFromTop = firstPageHeader.length > 0 ? Math.min(numberFromTop, MARK_FROM_EDGE) : numberFromTop;
  const lowered = numberFromTop - headerFromTop > 0.5 ? [emptySpace(numberFromTop - headerFromTop)] : [];
  const header = (withNumber: boolean) => new Header({
    children: [...lowered, ...(secrecy ? [secrecyLine(styles, secrecy)] : []), ...(withNumber ? [pageNumberLine()] : []), ...(!secrecy && !withNumber ? [new Paragraph({})] : [])],
  });
  const firstHeader = () => (firstPageHeader.length > 0
    ? new Header({ children: [...firstPageHeader, ...(secrecy ? [secrecyLine(styles, secrecy)] : [])] })
    : header(false));
  const footer = () => new Footer({ children: [secrecyLine(styles, secrecy!)] });
  // Made before the styles part is written: the secrecy mark adds its style.
  const headers = numbers || secrecy || firstPageHeader.length > 0 ? { default: header(numbers), first: firstHeader() } : undefined;
  const footers = secrecy ? { default: footer(), first: footer() } : undefined;
  const doc = new Document({
    title: model.title,
    creator: 'Saraban',
    lastModifiedBy: 'Saraban',
    styles: styles.toOptions(),
    // A line ended by a forced break is not spread, as in the PDF.
    compatibility: { doNotExpandShiftReturn: true },
    sections: [{
      properties: {
        page: {
          // docx takes the portrait size and swaps it for a landscape page.
          size: {
            width: twips(A4.width),
            height: twips(A4.height),
            orientation: landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
          },
          margin: {
            top: twips(margins.top),
            right: twips(margins.right),
            bottom: twips(margins.bottom),
            left: twips(margins.left),
            header: twips(headerFromTop),
            footer: twips(Math.max(14, margins.bottom - SECRECY_LOOK.size * OFFICIAL_LINE_HEIGHT_EM - pitch)),
          },
          // `- ๒ -`: the PAGE field in Thai digits when the document uses them.
          pageNumbers: model.numerals === 'thai' ? { formatType: NumberFormat.THAI_NUMBERS } : undefined,
        },
        // The first page has its own header, without the page number (numbers start on page 2).
        titlePage: numbers || firstPageHeader.length > 0,
      },
      headers,
      footers,
      children,
    }],
  });
  return Packer.toBuffer(doc);
}
