import { createHash, sign } from 'node:crypto';
import forge from 'node-forge';
import { Signer } from '@signpdf/utils';
import type { SigningKey } from './key.js';

const { asn1 } = forge;
const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
};

type Node = forge.asn1.Asn1;
const seq = (value: Node[]): Node => asn1.create(U, T.SEQUENCE, true, value);
const set = (value: Node[]): Node => asn1.create(U, T.SET, true, value);
const oid = (id: string): Node => asn1.create(U, T.OID, false, asn1.oidToDer(id).getBytes());
const octets = (b: Buffer): Node => asn1.create(U, T.OCTETSTRING, false, b.toString('binary'));
const int = (n: number): Node => asn1.create(U, T.INTEGER, false, asn1.integerToDer(n).getBytes());
const nul = (): Node => asn1.create(U, T.NULL, false, '');
const tagged = (n: number, value: Node[]): Node => asn1.create(asn1.Class.CONTEXT_SPECIFIC, n, true, value);
const derOf = (node: Node): Buffer => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
const nodeOf = (der: Buffer): Node => asn1.fromDer(der.toString('binary'));
const attribute = (type: string, value: Node): Node => seq([oid(type), set([value])]);

/** What stays the same from one signature to the next, per key: worked out once. */
interface Fixed { issuerAndSerial: Buffer; certificates: Buffer; signingCertificateV2: Buffer }
const fixedOf = new WeakMap<SigningKey, Fixed>();

function fixed(k: SigningKey): Fixed {
  let f = fixedOf.get(k);
  if (f) return f;
  // Issuer and serial as the certificate encodes them (re-encoding a name can change its string types).
  const tbs = (nodeOf(k.chain[0]!).value as Node[])[0]!.value as Node[];
  const at = tbs[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const issuerAndSerial = derOf(seq([tbs[at + 2]!, tbs[at]!]));
  // ESS signing-certificate-v2 (RFC 5035): the signer's certificate by its SHA-256 hash (the default algorithm, so not named).
  const certHash = createHash('sha256').update(k.chain[0]!).digest();
  const signingCertificateV2 = derOf(attribute(OID.signingCertificateV2, seq([seq([seq([octets(certHash)])])])));
  const certificates = derOf(tagged(0, k.chain.map(nodeOf)));
  f = { issuerAndSerial, certificates, signingCertificateV2 };
  fixedOf.set(k, f);
  return f;
}

/**
 * A CAdES signature for PAdES baseline B-B (ETSI EN 319 142-1, SubFilter
 * ETSI.CAdES.detached): a detached CMS SignedData over the PDF's byte range
 * with the signed attributes content-type, message-digest and ESS
 * signing-certificate-v2, and the certificate chain. The claimed signing time
 * is the signature dictionary's /M, as PAdES asks (a CMS signing-time
 * attribute must not be present). @signpdf's P12Signer (node-forge's PKCS#7)
 * cannot add signing-certificate-v2, hence this signer; the structures are
 * node-forge's ASN.1, the hashing and RSA signing node's crypto.
 */
export class CadesSigner extends Signer {
  constructor(private readonly k: SigningKey) {
    super();
  }

  override async sign(pdf: Buffer): Promise<Buffer> {
    return this.signSync(pdf);
  }

  signSync(pdf: Buffer): Buffer {
    const f = fixed(this.k);
    const digest = createHash('sha256').update(pdf).digest();
    // DER orders a SET OF by the encodings of its members.
    const attrs = [
      derOf(attribute(OID.contentType, oid(OID.data))),
      derOf(attribute(OID.messageDigest, octets(digest))),
      f.signingCertificateV2,
    ].sort(Buffer.compare);
    const attrNodes = attrs.map(nodeOf);
    // The signature covers the attributes encoded as a SET; they are stored as [0] IMPLICIT.
    const signature = sign('sha256', derOf(set(attrNodes)), this.k.key);
    const signerInfo = seq([
      int(1),
      nodeOf(f.issuerAndSerial),
      seq([oid(OID.sha256)]),
      tagged(0, attrNodes),
      seq([oid(OID.rsaEncryption), nul()]),
      octets(signature),
    ]);
    const signedData = seq([
      int(1),
      set([seq([oid(OID.sha256)])]),
      seq([oid(OID.data)]),
      nodeOf(f.certificates),
      set([signerInfo]),
    ]);
    return derOf(seq([oid(OID.signedData), tagged(0, [signedData])]));
  }
}
