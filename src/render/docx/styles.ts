import { AlignmentType, LineRuleType, type IParagraphStyleOptions, type IStylesOptions } from 'docx';
import type { Alignment } from '../../model/document.js';

/**
 * Paragraph styles of a Saraban DOCX. Font, size and language live here and
 * in the document defaults, never on runs: Thai needs the complex-script font
 * and size on every run (w:rFonts w:cs, w:szCs), and writing them per run
 * costs 2x time and 945 MB on a 1,000-row table. A run carries only what
 * differs from its paragraph's style (a bold word, a red word).
 *
 * Blocks whose text is larger, bold or coloured as a whole (a 29 pt bold memo
 * title, a red 32 pt urgency mark, a 14 pt table) get a variant style based on
 * their role's style, created on first use, so their runs stay bare too.
 */

/** What a paragraph's text looks like as a whole. Sizes in official points. */
export interface Look {
  size: number;
  bold: boolean;
  /** Hex without '#', upper case (`D00000`). */
  color?: string;
}

export const BASE_STYLES = ['Body', 'Title', 'Heading', 'Label', 'Mark', 'Small', 'Signature', 'TableText', 'TableHeader'] as const;
export type BaseStyle = (typeof BASE_STYLES)[number];

export type DocxAlignment = (typeof AlignmentType)[keyof typeof AlignmentType];

export function docxAlignment(align: Alignment): DocxAlignment {
  switch (align) {
    case 'left': return AlignmentType.LEFT;
    case 'center': return AlignmentType.CENTER;
    case 'right': return AlignmentType.RIGHT;
    case 'justify': return AlignmentType.BOTH;
    case 'thai-distributed': return AlignmentType.THAI_DISTRIBUTE;
  }
}

/** Points to twentieths of a point (twips), the unit of Word's lengths. */
export const twips = (pt: number) => Math.round(pt * 20);
/** Official points to Word's half-points (w:sz, w:szCs). */
export const halfPoints = (pt: number) => Math.round(pt * 2);

const NAMED_COLORS: Record<string, string> = {
  black: '000000', white: 'FFFFFF', red: 'FF0000', green: '008000', blue: '0000FF', gray: '808080', grey: '808080',
};

/** `#d00000`, `d00000`, `#d00` or a basic colour name to Word's `D00000`; anything else is dropped. */
export function docxColor(color: string | undefined): string | undefined {
  if (!color) return undefined;
  const c = color.trim().toLowerCase();
  if (NAMED_COLORS[c]) return NAMED_COLORS[c];
  const hex = c.replace(/^#/, '');
  if (/^[0-9a-f]{6}$/.test(hex)) return hex.toUpperCase();
  if (/^[0-9a-f]{3}$/.test(hex)) return hex.split('').map((d) => d + d).join('').toUpperCase();
  return undefined;
}

export interface StyleSheetOptions {
  font: string;
  /** Body size in official points. */
  bodySize: number;
  /**
   * Actual size = official size x scale: 1 for the TH Sarabun family, the
   * registry's factor for another installed font (Google Sarabun draws 16 pt
   * TH Sarabun at about 10.3 pt).
   */
  scale?: number;
}

const THAI = { value: 'th-TH', bidirectional: 'th-TH' } as const;

export class StyleSheet {
  private readonly variants = new Map<string, IParagraphStyleOptions>();
  private readonly bodyLook: Look;

  /** Official points to Word's half-points (w:sz, w:szCs) in the font written. */
  halfPoints(pt: number): number {
    return halfPoints(pt * (this.opts.scale ?? 1));
  }

  constructor(private readonly opts: StyleSheetOptions) {
    this.bodyLook = { size: opts.bodySize, bold: false };
  }

  /** The look a base style gives its text. */
  baseLook(base: BaseStyle): Look {
    return base === 'TableHeader' ? { ...this.bodyLook, bold: true } : this.bodyLook;
  }

  /** Alignment a base style sets, for paragraphs that need not repeat it. */
  baseAlignment(base: BaseStyle): Alignment | undefined {
    return base === 'TableText' ? 'left' : base === 'TableHeader' ? 'center' : undefined;
  }

  /** The id of the style for text of this role and look: the role's own style, or a variant of it. */
  styleFor(base: BaseStyle, look: Look): string {
    const ref = this.baseLook(base);
    if (look.size === ref.size && look.bold === ref.bold && look.color === ref.color) return base;
    const id = `${base}${look.size === ref.size ? '' : `Sz${this.halfPoints(look.size)}`}${look.bold === ref.bold ? '' : look.bold ? 'Bold' : 'Regular'}${look.color === ref.color ? '' : `C${look.color ?? 'Auto'}`}`;
    if (!this.variants.has(id)) {
      this.variants.set(id, {
        id,
        name: `${base} ${look.size} pt${look.bold ? ' bold' : ''}${look.color ? ` #${look.color}` : ''}`,
        basedOn: base,
        next: base,
        run: {
          ...(look.size !== ref.size ? { size: this.halfPoints(look.size) } : {}),
          ...(look.bold !== ref.bold ? { bold: look.bold } : {}),
          ...(look.color !== ref.color ? { color: look.color ?? 'auto' } : {}),
        },
      });
    }
    return id;
  }

  /** The styles part: document defaults, Normal, the role styles and the variants used. */
  toOptions(): IStylesOptions {
    const { font, bodySize } = this.opts;
    const run = {
      font: { ascii: font, hAnsi: font, cs: font, eastAsia: font },
      size: this.halfPoints(bodySize),
      language: THAI,
    };
    // Single line spacing: 240 with lineRule auto, the font's own line height (LibreOffice
    // reads a w:line without w:lineRule as exact 12 pt). No exact line heights on text.
    const paragraph = { spacing: { before: 0, after: 0, line: 240, lineRule: LineRuleType.AUTO } };
    const role = (id: BaseStyle, name: string, extra: Partial<IParagraphStyleOptions> = {}): IParagraphStyleOptions => ({
      id, name, basedOn: 'Body', next: 'Body', quickFormat: true, ...extra,
    });
    return {
      default: { document: { run, paragraph } },
      paragraphStyles: [
        // Normal repeats the defaults: some readers look only at the default paragraph style.
        { id: 'Normal', name: 'Normal', quickFormat: true, run, paragraph },
        { id: 'Body', name: 'Body', basedOn: 'Normal', next: 'Body', quickFormat: true },
        role('Title', 'Title'),
        role('Heading', 'Heading'),
        role('Label', 'Label'),
        role('Mark', 'Mark'),
        role('Small', 'Small'),
        role('Signature', 'Signature'),
        { id: 'TableText', name: 'Table Text', basedOn: 'Normal', next: 'TableText', quickFormat: true, paragraph: { alignment: AlignmentType.LEFT } },
        {
          id: 'TableHeader', name: 'Table Header', basedOn: 'TableText', next: 'TableText', quickFormat: true,
          paragraph: { alignment: AlignmentType.CENTER }, run: { bold: true },
        },
        ...this.variants.values(),
      ],
    };
  }
}
