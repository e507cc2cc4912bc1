import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import forge from 'node-forge';

/**
 * The service's signing key and certificate, from a PKCS#12 file
 * (SARABAN_SIGN_P12, its password in SARABAN_SIGN_P12_PASSWORD). Read once
 * per thread: the service checks it at start-up (a wrong password or an
 * expired certificate stops it there), each render thread reads it again
 * when it first signs. The password is never put in a message or a log.
 */
export interface SigningKey {
  key: KeyObject;
  /** DER of the signer's certificate, then the rest of the chain found in the file. */
  chain: Buffer[];
  /** The signer's certificate as node-forge reads it (issuer, serial for the CMS). */
  cert: forge.pki.Certificate;
  /** The certificate's common name, shown as the signer's name. */
  name: string;
  notAfter: Date;
}

/** A signing setting that cannot be used: the service must not start with it. */
export class SigningSetupError extends Error {}

/** Whether the service is set up to sign (SARABAN_SIGN_P12 is set). */
export const signingConfigured = (): boolean => !!process.env.SARABAN_SIGN_P12?.trim();

/** node-forge gives a name's UTF8String as its bytes. */
const utf8 = (bytes: string): string => { try { return forge.util.decodeUtf8(bytes); } catch { return bytes; } };

const der = (cert: forge.pki.Certificate): Buffer => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');

/** Reads a PKCS#12 file: its key (RSA) and certificates, the certificate that matches the key first. */
export function loadSigningKey(file: string, password: string, now = new Date()): SigningKey {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new SigningSetupError(`SARABAN_SIGN_P12: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(bytes.toString('binary')), false, password);
  } catch (e) {
    // forge's own message, never the password: "Invalid password?" or a parse failure.
    let why = e instanceof Error && /password|mac/i.test(e.message) ? 'wrong password (SARABAN_SIGN_P12_PASSWORD)' : 'not a PKCS#12 file, or a wrong password (SARABAN_SIGN_P12_PASSWORD)';
    // node-forge decrypts a PBES2 file (OpenSSL 3's default) with the password's bytes as Latin-1.
    if (/[^\x20-\x7e]/.test(password)) why += '; a password of other than ASCII characters cannot be read here: export the file again with an ASCII password';
    throw new SigningSetupError(`SARABAN_SIGN_P12 (${file}): ${why}`);
  }
  const bags = (type: string): forge.pkcs12.Bag[] => p12.getBags({ bagType: type })[type] ?? [];
  const keyBags = [...bags(forge.pki.oids.pkcs8ShroudedKeyBag!), ...bags(forge.pki.oids.keyBag!)];
  const privateKey = keyBags.find((b) => b.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!privateKey) throw new SigningSetupError(`SARABAN_SIGN_P12 (${file}): no private key in the file (an RSA key is needed)`);
  const certs = bags(forge.pki.oids.certBag!).flatMap((b) => (b.cert ? [b.cert] : []));
  const mine = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.equals(privateKey.n) && pub.e?.equals(privateKey.e);
  });
  if (!mine) throw new SigningSetupError(`SARABAN_SIGN_P12 (${file}): no certificate for its key`);
  const name = utf8(String(mine.subject.getField('CN')?.value ?? ''));
  if (mine.validity.notAfter < now) {
    throw new SigningSetupError(`SARABAN_SIGN_P12 (${file}): the certificate of "${name}" expired on ${mine.validity.notAfter.toISOString().slice(0, 10)}`);
  }
  if (mine.validity.notBefore > now) {
    throw new SigningSetupError(`SARABAN_SIGN_P12 (${file}): the certificate of "${name}" is valid only from ${mine.validity.notBefore.toISOString().slice(0, 10)}`);
  }
  const key = createPrivateKey(forge.pki.privateKeyToPem(privateKey));
  return { key, chain: [der(mine), ...certs.filter((c) => c !== mine).map(der)], cert: mine, name, notAfter: mine.validity.notAfter };
}

/** The key the settings name, read now (the start-up check reads it so, not from a thread's cache). */
export function readSigningSettings(): SigningKey {
  const file = process.env.SARABAN_SIGN_P12?.trim();
  if (!file) throw new SigningSetupError('SARABAN_SIGN_P12 is not set: the service has no signing certificate');
  return loadSigningKey(file, process.env.SARABAN_SIGN_P12_PASSWORD ?? '');
}

let loaded: SigningKey | undefined;

/** This thread's signing key, read from the settings on first use; SigningSetupError when there is none or it cannot be used. */
export function signingKey(): SigningKey {
  loaded ??= readSigningSettings();
  return loaded;
}

/** What the signature says besides the signer (SARABAN_SIGN_REASON, SARABAN_SIGN_LOCATION). */
export function signatureText(): { reason: string; location: string } {
  return {
    reason: process.env.SARABAN_SIGN_REASON?.trim() || 'รับรองความถูกต้องของหนังสือราชการอิเล็กทรอนิกส์',
    location: process.env.SARABAN_SIGN_LOCATION?.trim() || 'ประเทศไทย',
  };
}
