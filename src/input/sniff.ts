/** What a file is, told by its bytes, never by its name. */

export const isZip = (data: Uint8Array) => data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;

/** Files clerks attach by mistake, told by their first bytes: PDF, PNG, JPEG, GIF, ZIP (xlsx/docx), OLE2 (xls/doc). */
const KNOWN_BINARY = [[0x25, 0x50, 0x44, 0x46, 0x2d], [0x89, 0x50, 0x4e, 0x47], [0xff, 0xd8, 0xff], [0x47, 0x49, 0x46, 0x38], [0x50, 0x4b, 0x03, 0x04], [0xd0, 0xcf, 0x11, 0xe0]].map((b) => Buffer.from(b));

/**
 * Text a person wrote (a template, a JSON schema): valid UTF-8 without NUL or
 * other C0 controls besides tab and line breaks. A PDF, image or ZIP named
 * .hbs or .json fails this.
 */
export function isPlainText(data: Buffer): boolean {
  if (KNOWN_BINARY.some((magic) => data.subarray(0, magic.length).equals(magic))) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(data.toString('latin1'))) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}
