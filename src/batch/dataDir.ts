import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { logger } from '../http/ops.js';

/**
 * The data folder on disk: records written so that a crash or a power cut
 * leaves the old version or the new one, never a piece; and one instance of
 * the service owning the folder at a time (a lock file).
 */

// ---------------------------------------------------------------- durable writes

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code;

function writeAll(fd: number, data: string | Uint8Array): void {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
}

/** Makes a directory's entries (a new, renamed or removed file in it) survive a power cut. */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch (e) {
    // A system that cannot open a directory for reading cannot sync one either (Windows).
    if (errCode(e) === 'EISDIR' || errCode(e) === 'EPERM') return;
    throw e;
  }
  try {
    fsyncSync(fd);
  } catch (e) {
    if (errCode(e) !== 'EINVAL' && errCode(e) !== 'EPERM') throw e;
  } finally {
    closeSync(fd);
  }
}

/** Flushes a whole file to the disk (before its record says it is there). */
export function fsyncFile(file: string): void {
  const fd = openSync(file, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/**
 * Replaces `file` whole: written to `<file>.tmp`, flushed, renamed over the
 * file, and the directory flushed. A reader sees the old content or the new;
 * after a crash the file is the old or the new one, never empty or cut.
 */
export function writeFileDurably(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeAll(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dirname(file));
}

// ---------------------------------------------------------------- the lock

/** What the lock file holds: who owns the folder. */
export interface LockOwner {
  pid: number;
  hostname: string;
  since: string;
  /** This taking of the lock (a later owner with the same pid has another). */
  token: string;
}

/** The owner refreshes the lock file's time this often... */
export const LOCK_HEARTBEAT_MS = 30_000;
/** ...and a lock whose time is older than this is abandoned (the only test for an owner on another machine). */
export const LOCK_STALE_MS = 5 * 60_000;
/** An empty or unreadable lock this old is a crash between its creation and its first write, not one being written. */
const UNREADABLE_GRACE_MS = 10_000;

/** Lock files this process holds: a second store of the same process on the same folder is refused, never takes over. */
const heldHere = new Set<string>();

/** Refused at start-up: another instance owns the data folder. */
export class DataDirLockedError extends Error {
  constructor(readonly lockPath: string, readonly owner: LockOwner | undefined) {
    const who = owner ? `pid ${owner.pid}, ${owner.hostname}, ${owner.since}` : 'pid ?';
    const whoTh = owner ? `pid ${owner.pid} เครื่อง ${owner.hostname} ตั้งแต่ ${owner.since}` : 'ไม่ทราบ pid';
    super(
      `โฟลเดอร์ข้อมูลตาม SARABAN_DATA_DIR ถูกใช้อยู่โดย Saraban อีกตัวหนึ่ง (${whoTh}): ให้แต่ละตัวใช้ SARABAN_DATA_DIR ของตนเอง หรือหยุดตัวนั้นก่อน / ` +
      `the data folder of SARABAN_DATA_DIR is in use by another Saraban instance (${who}): give each instance its own SARABAN_DATA_DIR, or stop the other one first. ` +
      `Lock file: ${lockPath}; if that instance is gone, remove it (a lock not refreshed for ${LOCK_STALE_MS / 60_000} minutes is taken over).`,
    );
    this.name = 'DataDirLockedError';
  }
}

interface LockFile { raw: string; owner?: LockOwner; mtimeMs: number }

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const o = JSON.parse(raw) as Partial<LockOwner>;
    if (Number.isInteger(o.pid) && o.pid! > 0 && typeof o.hostname === 'string' && typeof o.token === 'string') {
      return { pid: o.pid!, hostname: o.hostname, since: String(o.since ?? ''), token: o.token };
    }
  } catch { /* unreadable */ }
  return undefined;
}

/** The lock file as it is now; undefined when there is none. */
function readLock(path: string): LockFile | undefined {
  try {
    const mtimeMs = statSync(path).mtimeMs;
    const raw = readFileSync(path, 'utf8');
    return { raw, owner: parseOwner(raw), mtimeMs };
  } catch (e) {
    if (errCode(e) === 'ENOENT') return undefined;
    throw e;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, as another user's process.
    return errCode(e) === 'EPERM';
  }
}

/** Why the lock is abandoned, or undefined while its owner may be alive. */
function staleReason(lock: LockFile, staleMs: number): string | undefined {
  const age = Date.now() - lock.mtimeMs;
  if (!lock.owner) return age > UNREADABLE_GRACE_MS ? 'the lock file is empty or unreadable' : undefined;
  if (age > staleMs) return `not refreshed for ${Math.round(age / 1000)} s`;
  if (lock.owner.hostname !== hostname()) return undefined;
  // Same host name, same pid, not held by this process: an earlier run of this container (pid 1 again).
  if (lock.owner.pid === process.pid) return 'left by an earlier run with this pid';
  if (!pidAlive(lock.owner.pid)) return `pid ${lock.owner.pid} is not running`;
  return undefined;
}

/** Creates the lock file only if there is none (O_EXCL); false when one exists. */
function createExclusive(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if (errCode(e) === 'EEXIST') return false;
    throw e;
  }
  try {
    writeAll(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  fsyncDir(dirname(path));
  return true;
}

/**
 * Moves the stale lock aside, if it is still the one judged stale: two
 * instances taking over at once cannot both remove a fresh lock the other
 * just made (the one that moved a fresh lock puts it back).
 */
function takeOver(path: string, stale: LockFile): boolean {
  const aside = `${path}.${randomUUID()}.stale`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return false;
    throw e;
  }
  let moved = '';
  try { moved = readFileSync(aside, 'utf8'); } catch { /* judged below as not the same */ }
  if (moved === stale.raw) {
    rmSync(aside, { force: true });
    return true;
  }
  // Another instance took it over meanwhile: give its lock back.
  try { renameSync(aside, path); } catch { rmSync(aside, { force: true }); }
  return false;
}

export interface LockOptions {
  /** A lock not refreshed for this long is abandoned (default LOCK_STALE_MS). */
  staleMs?: number;
  /** How often the owner refreshes it (default LOCK_HEARTBEAT_MS). */
  heartbeatMs?: number;
}

/**
 * One instance owns a data folder: the lock file holds its pid, host name and
 * a token, is created exclusively, refreshed by a timer, and removed by
 * release(). A lock is taken over, with a log line, when its owner is gone:
 * on this host (same host name) its pid no longer runs, or is our own pid but
 * not held by this process (a restarted container); from any host, it has
 * not been refreshed for LOCK_STALE_MS. Otherwise the constructor throws
 * DataDirLockedError.
 */
export class DataDirLock {
  readonly path: string;
  readonly owner: LockOwner;
  private timer?: NodeJS.Timeout;
  private lost = false;

  constructor(path: string, options: LockOptions = {}) {
    this.path = resolve(path);
    const staleMs = options.staleMs ?? LOCK_STALE_MS;
    this.owner = { pid: process.pid, hostname: hostname(), since: new Date().toISOString(), token: randomUUID() };
    if (heldHere.has(this.path)) throw new DataDirLockedError(this.path, readLock(this.path)?.owner);
    // A few rounds: another instance may be creating or taking over the lock at the same moment.
    for (let attempt = 0; !createExclusive(this.path, `${JSON.stringify(this.owner)}\n`); attempt++) {
      if (attempt >= 5) throw new DataDirLockedError(this.path, readLockSafe(this.path)?.owner);
      const lock = readLock(this.path);
      if (!lock) continue;
      const reason = staleReason(lock, staleMs);
      if (!reason) throw new DataDirLockedError(this.path, lock.owner);
      if (takeOver(this.path, lock)) logger.warn({ lock: this.path, previousOwner: lock.owner ?? lock.raw.slice(0, 200), reason }, 'took over a stale data folder lock');
    }
    heldHere.add(this.path);
    this.timer = setInterval(() => this.heartbeat(), options.heartbeatMs ?? LOCK_HEARTBEAT_MS);
    this.timer.unref();
  }

  /** True while the lock file is still this one's (false once taken over or removed by someone else). */
  held(): boolean {
    try {
      return readLock(this.path)?.owner?.token === this.owner.token;
    } catch {
      return false;
    }
  }

  private heartbeat(): void {
    try {
      if (this.held()) {
        const now = new Date();
        utimesSync(this.path, now, now);
        return;
      }
    } catch { /* reported below */ }
    if (this.lost) return;
    this.lost = true;
    logger.error({ lock: this.path, owner: readLockSafe(this.path)?.owner }, 'the data folder lock is no longer ours: another instance may be using the folder');
  }

  /** Removes the lock file if it is still ours. */
  release(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!heldHere.delete(this.path)) return;
    if (this.held()) rmSync(this.path, { force: true });
  }
}

function readLockSafe(path: string): LockFile | undefined {
  try { return readLock(path); } catch { return undefined; }
}
