import { Inflate } from 'fflate';

/**
 * Checks a ZIP (an uploaded XLSX or DOCX) from its central directory before
 * any library opens it: a ZIP bomb (a few kilobytes that unpack to gigabytes,
 * or many thousands of entries) and entry names that would escape a directory
 * are refused from their declared sizes and names, without unpacking a byte.
 * Where we unpack ourselves (the DOCX merge), `unzipGuarded` also stops an
 * entry that inflates past the size it declared, since declared sizes can lie;
 * where a library unpacks (exceljs reading an XLSX), `verifyZip` inflates the
 * entries it will read first, discarding the output, and `zipStream` hands the
 * library those entries exactly as they were verified.
 *
 * Settings (environment, read per call so a test or operator change applies):
 *   SARABAN_ZIP_MAX_ENTRIES            entries in one ZIP (default 5000)
 *   SARABAN_ZIP_MAX_UNPACKED_BYTES     sum of declared uncompressed sizes (default 200 MB)
 *   SARABAN_ZIP_MAX_RATIO              uncompressed:compressed of one entry over 1 MiB (default 200)
 */

export interface ZipLimits {
  maxEntries: number;
  maxUnpackedBytes: number;
  maxRatio: number;
}

/** Entries smaller than this are not held to the ratio: a tiny highly compressible part cannot be a bomb by itself. */
const RATIO_MIN_BYTES = 1 << 20;

const setting = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

export function zipLimits(): ZipLimits {
  return {
    maxEntries: setting('SARABAN_ZIP_MAX_ENTRIES', 5000),
    maxUnpackedBytes: setting('SARABAN_ZIP_MAX_UNPACKED_BYTES', 200 * 1024 * 1024),
    maxRatio: setting('SARABAN_ZIP_MAX_RATIO', 200),
  };
}

/**
 * Why a ZIP was refused. `too_large`: it would unpack to more than the limits
 * allow (HTTP 413); `unsafe`: an entry name escapes its folder (400);
 * `damaged`: no readable central directory (400).
 */
export class ZipGuardError extends Error {
  constructor(readonly reason: 'too_large' | 'unsafe' | 'damaged', readonly th: string, readonly en: string) {
    super(en);
    this.name = 'ZipGuardError';
  }
}

export interface ZipEntry {
  name: string;
  /** General purpose flags (bit 0: encrypted, bit 3: sizes in a data descriptor, bit 11: UTF-8 name). */
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header. */
  offset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

const tooLarge = (th: string, en: string) => new ZipGuardError('too_large', th, en);
const damaged = () => new ZipGuardError('damaged', 'ไฟล์ ZIP (.xlsx/.docx) เสียหาย อ่านสารบัญของไฟล์ไม่ได้', 'the ZIP file (.xlsx/.docx) is damaged: its directory cannot be read');

/** An entry name that would write outside the folder it is unpacked into. */
export function unsafeEntryName(name: string): boolean {
  return name.includes('\\') || name.startsWith('/') || /^[a-z]:/i.test(name) || name.includes('\0')
    || name.split('/').some((segment) => segment === '..');
}

/** The entries of a ZIP's central directory, checked against the limits. Throws ZipGuardError. */
export function checkZip(data: Uint8Array, limits: ZipLimits = zipLimits()): ZipEntry[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let eocd = -1;
  for (let at = buf.length - 22; at >= Math.max(0, buf.length - 22 - MAX_COMMENT); at--) {
    if (buf.readUInt32LE(at) === EOCD) { eocd = at; break; }
  }
  if (eocd < 0) throw damaged();
  const declaredCount = buf.readUInt16LE(eocd + 10);
  const dirOffset = buf.readUInt32LE(eocd + 16);
  // ZIP64 marks (0xffff entries, 0xffffffff sizes) only appear past 65,535 entries or 4 GB: far past any limit.
  if (declaredCount === 0xffff || dirOffset === 0xffffffff) {
    throw tooLarge('ไฟล์ ZIP มีขนาดหรือจำนวนไฟล์ภายในเกินกำหนด', 'the ZIP file has too many entries or is too large (ZIP64)');
  }
  if (declaredCount > limits.maxEntries) {
    throw tooLarge(`ไฟล์ ZIP มีไฟล์ภายใน ${declaredCount} ไฟล์ เกินกำหนด ${limits.maxEntries} ไฟล์`, `the ZIP file holds ${declaredCount} entries, more than the limit of ${limits.maxEntries}`);
  }
  const entries: ZipEntry[] = [];
  let total = 0;
  let at = dirOffset;
  for (let i = 0; i < declaredCount; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) throw damaged();
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const compressedSize = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const offset = buf.readUInt32LE(at + 42);
    if (at + 46 + nameLength > buf.length) throw damaged();
    const name = buf.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (size === 0xffffffff || compressedSize === 0xffffffff || offset === 0xffffffff) {
      throw tooLarge('ไฟล์ ZIP มีไฟล์ภายในขนาดเกินกำหนด', 'the ZIP file holds an entry that is too large (ZIP64)');
    }
    if (unsafeEntryName(name)) {
      throw new ZipGuardError('unsafe', 'ไฟล์ ZIP มีชื่อไฟล์ภายในที่ไม่ปลอดภัย (มี .. \\ หรือขึ้นต้นด้วย /) ไม่รับไฟล์นี้', 'the ZIP file holds an unsafe entry name (with "..", a backslash or an absolute path): refused');
    }
    total += size;
    if (total > limits.maxUnpackedBytes) {
      throw tooLarge(`ไฟล์ ZIP เมื่อขยายแล้วใหญ่เกิน ${Math.round(limits.maxUnpackedBytes / 1048576)} MB`, `the ZIP file would unpack to more than ${Math.round(limits.maxUnpackedBytes / 1048576)} MB`);
    }
    if (size > RATIO_MIN_BYTES && size / Math.max(compressedSize, 1) > limits.maxRatio) {
      throw tooLarge(`ไฟล์ ZIP มีไฟล์ภายในที่บีบอัดไว้มากผิดปกติ (เกิน ${limits.maxRatio} เท่า)`, `the ZIP file holds an entry compressed more than ${limits.maxRatio}:1`);
    }
    entries.push({ name, flags, method, crc, compressedSize, size, offset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Inflates in slices this large, so one step never produces more than about a thousand times it. */
const INFLATE_SLICE = 16 * 1024;

/** Where an entry's packed bytes start, from its local header (whose name and extra field may differ in length from the directory's). */
function packedData(buf: Buffer, entry: ZipEntry): Buffer {
  const at = entry.offset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL) throw damaged();
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  if (start + entry.compressedSize > buf.length) throw damaged();
  return buf.subarray(start, start + entry.compressedSize);
}

/**
 * Unpacks a ZIP checked by `checkZip`: every entry, stored or deflated, each
 * stopped as soon as it inflates past its declared size. Throws ZipGuardError.
 */
export function unzipGuarded(data: Uint8Array, limits: ZipLimits = zipLimits()): Record<string, Uint8Array<ArrayBuffer>> {
  const entries = checkZip(data, limits);
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const files: Record<string, Uint8Array<ArrayBuffer>> = {};
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    const packed = packedData(buf, entry);
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.size) throw damaged();
      files[entry.name] = new Uint8Array(packed);
    } else if (entry.method === 8) {
      const out = new Uint8Array(entry.size);
      inflateChecked(packed, entry.size, (chunk, at) => out.set(chunk, at));
      files[entry.name] = out;
    } else {
      throw damaged();
    }
  }
  return files;
}

/**
 * Checks a ZIP by the bytes it really unpacks to, for a library that trusts
 * the sizes it declares (exceljs inflates without a limit: an XLSX whose
 * sharedStrings.xml declared 100 KB and inflated to 4 GB took 3.5 GB of
 * memory). `checkZip` first; then each entry `wanted` picks (every file by
 * default) is inflated in 16 KB slices, the output counted and dropped, and
 * refused as soon as it passes its declared size, so no more than the
 * declared sum (at most SARABAN_ZIP_MAX_UNPACKED_BYTES) is ever inflated,
 * and never more than a slice's output held. Returns the verified entries in
 * directory order. Throws ZipGuardError.
 */
export function verifyZip(data: Uint8Array, limits: ZipLimits = zipLimits(), wanted: (name: string) => boolean = () => true): ZipEntry[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const verified: ZipEntry[] = [];
  for (const entry of checkZip(data, limits)) {
    if (entry.name.endsWith('/') || !wanted(entry.name)) continue;
    // Encrypted entries cannot be checked, and no workbook part is one.
    if (entry.flags & 1) throw damaged();
    const packed = packedData(buf, entry);
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.size) throw damaged();
    } else if (entry.method === 8) {
      inflateChecked(packed, entry.size, () => {});
    } else {
      throw damaged();
    }
    verified.push(entry);
  }
  return verified;
}

/**
 * The given entries (from verifyZip) as a ZIP stream, in the given order:
 * each under a new local header written from the directory's values (sizes
 * known, no data descriptor), followed by exactly the packed bytes that were
 * verified. A streaming reader sees nothing else: no entry hidden between
 * others, no local header that disagrees with the directory. No central
 * directory follows; a streaming reader ends at the end of the stream.
 */
export function* zipStream(data: Uint8Array, entries: ZipEntry[]): Generator<Buffer> {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0800, 6);
    header.writeUInt16LE(entry.method, 8);
    header.writeUInt32LE(entry.crc, 14);
    header.writeUInt32LE(entry.compressedSize, 18);
    header.writeUInt32LE(entry.size, 22);
    header.writeUInt16LE(name.length, 26);
    yield Buffer.concat([header, name]);
    yield packedData(buf, entry);
  }
}

/** Inflates `packed` in slices, handing each piece of output on; refused past `size`, damaged short of it. */
function inflateChecked(packed: Uint8Array, size: number, onData: (chunk: Uint8Array, at: number) => void): void {
  let written = 0;
  const inflate = new Inflate((chunk) => {
    if (written + chunk.length > size) {
      throw tooLarge('ไฟล์ ZIP มีไฟล์ภายในที่ขยายแล้วใหญ่กว่าที่ระบุไว้ ไม่รับไฟล์นี้', 'a ZIP entry unpacks to more than its declared size: refused');
    }
    onData(chunk, written);
    written += chunk.length;
  });
  try {
    for (let i = 0; i < packed.length; i += INFLATE_SLICE) {
      inflate.push(packed.subarray(i, Math.min(i + INFLATE_SLICE, packed.length)), i + INFLATE_SLICE >= packed.length);
    }
  } catch (err) {
    if (err instanceof ZipGuardError) throw err;
    throw damaged();
  }
  if (written !== size) throw damaged();
}
