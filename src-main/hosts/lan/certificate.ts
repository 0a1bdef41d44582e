import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

/** Where the participants' listener keeps its certificate and key, inside the data folder (0600). */
export const CERTIFICATE_FILE = 'participants-tls.json';

export interface ListenerCertificate {
  cert: string;
  key: string;
  /** SHA-256 of the certificate (DER), 32 colon-separated upper-case hex pairs, as browsers show it. */
  fingerprint: string;
}

/**
 * The participants' listener's TLS certificate: an ECDSA P-256 key and a
 * self-signed certificate, generated on this machine the first time it is
 * needed and kept (0600) in the data folder, so the fingerprint people check
 * on the room screen stays the same from one exercise to the next.
 */
export async function loadOrCreateCertificate(dataDir: string, addresses: readonly string[], now = new Date()): Promise<ListenerCertificate> {
  const file = join(dataDir, CERTIFICATE_FILE);
  if (existsSync(file)) {
    // The private key stays 0600 even if the file was copied in or its mode changed since.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { cert: string; key: string };
    const x509 = new X509Certificate(stored.cert);
    // Keep it while valid for another day; replace it otherwise.
    if (new Date(x509.validTo).getTime() > now.getTime() + 86_400_000) return { ...stored, fingerprint: x509.fingerprint256 };
  }
  const altNames = [...new Set(addresses)].map((ip) => ({ type: 7 as const, ip }));
  const notAfter = new Date(now.getTime() + 397 * 86_400_000); // the longest validity browsers accept for a server certificate
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'Sandtable participants' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ cert: pems.cert, key: pems.private }), { mode: 0o600 });
  chmodSync(temporary, 0o600); // whatever the umask
  renameSync(temporary, file);
  return { cert: pems.cert, key: pems.private, fingerprint: new X509Certificate(pems.cert).fingerprint256 };
}
