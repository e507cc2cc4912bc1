import { pdfArchiveDefault } from '../settings.js';
import { readSigningSettings, signingConfigured, SigningSetupError } from './key.js';

/** What the start-up check writes: the service's logger, or a test's list. */
export interface StartLog {
  fatal(message: string): void;
  info(message: string): void;
}

/** A certificate that runs out within this many days is named at start-up, so it is renewed in time. */
const EXPIRY_NOTICE_DAYS = 30;

/**
 * The archive and signing settings, checked once when the service starts: a
 * wrong SARABAN_SIGN_P12_PASSWORD, an expired certificate or a malformed
 * SARABAN_PDF_ARCHIVE stops the start with one fatal line (exit 1), instead
 * of failing every request that asks to sign. The password is never written:
 * the messages are SigningSetupError's, which do not hold it.
 */
export function checkSigningAtStart(log: StartLog, exit: (code: number) => void = (code) => process.exit(code)): void {
  try {
    pdfArchiveDefault();
  } catch (e) {
    log.fatal((e as Error).message);
    exit(1);
    return;
  }
  if (!signingConfigured()) return;
  try {
    const k = readSigningSettings();
    const days = Math.floor((k.notAfter.getTime() - Date.now()) / 86_400_000);
    log.info(`signing certificate of "${k.name}", valid until ${k.notAfter.toISOString().slice(0, 10)}${days < EXPIRY_NOTICE_DAYS ? ` (expires in ${days} days: renew it)` : ''}`);
  } catch (e) {
    if (!(e instanceof SigningSetupError)) throw e;
    log.fatal(e.message);
    exit(1);
  }
}
