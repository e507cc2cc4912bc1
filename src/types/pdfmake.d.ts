// The parts of pdfmake 0.3 and pdfkit 0.19 that Saraban touches.
declare module 'pdfmake/js/ElementWriter.js' {
  export interface PdfmakeInline { x: number; text: string; sarabanShift?: number }
  export interface PdfmakeLine { inlines: PdfmakeInline[] }
}

declare module 'pdfmake' {
  import type { Readable } from 'node:stream';
  export interface OutputDocument { getBuffer(): Promise<Buffer>; getStream(): Promise<Readable> }
  interface VirtualFs { writeFileSync(name: string, data: Buffer): void }
  const pdfmake: {
    virtualfs: VirtualFs;
    setFonts(fonts: Record<string, Record<string, string>>): void;
    setUrlAccessPolicy(cb: (url: string) => boolean): void;
    setLocalAccessPolicy(cb: (path: string) => boolean): void;
    createPdf(doc: Record<string, unknown>, options?: Record<string, unknown>): OutputDocument;
  };
  export default pdfmake;
}
