import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCerts {
  dir: string;
  /** The throwaway CA's certificate (PEM). */
  caCert: string;
  /** The signer's key and certificate with the CA's, password `password`. */
  p12: string;
  password: string;
  /** The same signer's certificate, expired in 2021, same password. */
  expiredP12: string;
  /** An NSS database that trusts the CA, for `pdfsig -nssdir`. */
  nssDir: string;
}

const run = (cwd: string, args: string[]) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** A throwaway CA and a signer certificate made with openssl in a temporary folder, as a P12 with a password. */
export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'saraban-certs-'));
  // ASCII: node-forge cannot read a PBES2 file (OpenSSL 3's default) whose password is not (see src/sign/key.ts).
  const password = 'test-Pass-123';
  run(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=Saraban Test CA/O=Saraban Tests',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'signer.key', '-out', 'signer.csr', '-utf8', '-subj', '/CN=นายทดสอบ ลงนาม/O=สำนักงานทดสอบ']);
  writeFileSync(join(dir, 'signer.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\n');
  run(dir, ['x509', '-req', '-in', 'signer.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'signer.crt', '-days', '30', '-extfile', 'signer.ext']);
  run(dir, ['pkcs12', '-export', '-inkey', 'signer.key', '-in', 'signer.crt', '-certfile', 'ca.crt', '-out', 'signer.p12', '-passout', `pass:${password}`]);
  // An expired certificate for the same key: `openssl ca` takes explicit dates.
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'ca.cnf'), [
    '[ca]', 'default_ca = test', '[test]', `dir = ${dir}`, 'database = $dir/index.txt', 'new_certs_dir = $dir', 'serial = $dir/ca.srl',
    'certificate = $dir/ca.crt', 'private_key = $dir/ca.key', 'default_md = sha256', 'policy = any', 'unique_subject = no', 'copy_extensions = none',
    '[any]', 'commonName = supplied', 'organizationName = optional',
  ].join('\n'));
  run(dir, ['ca', '-batch', '-config', 'ca.cnf', '-utf8', '-in', 'signer.csr', '-out', 'expired.crt', '-startdate', '20200101000000Z', '-enddate', '20210101000000Z', '-notext']);
  run(dir, ['pkcs12', '-export', '-inkey', 'signer.key', '-in', 'expired.crt', '-certfile', 'ca.crt', '-out', 'expired.p12', '-passout', `pass:${password}`]);
  const nssDir = join(dir, 'nss');
  execFileSync('mkdir', ['-p', nssDir]);
  execFileSync('certutil', ['-N', '-d', `sql:${nssDir}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', `sql:${nssDir}`, '-n', 'Saraban Test CA', '-t', 'CT,C,C', '-i', join(dir, 'ca.crt')]);
  return { dir, caCert: join(dir, 'ca.crt'), p12: join(dir, 'signer.p12'), password, expiredP12: join(dir, 'expired.p12'), nssDir };
}
