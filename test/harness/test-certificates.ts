// Test fixtures made with the real openssl: a CA, TLS server certificates and S/MIME certificates.
import {execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

export interface IssuedCertificate {
  certFile: string;
  keyFile: string;
  pem: string;
  der: Buffer;
}

export interface SmimeOptions {
  commonName: string;
  /** rfc822Name entries of the subject alternative name. */
  sanEmails?: string[];
  /** emailAddress in the subject. */
  subjectEmail?: string;
  /** openssl keyUsage value, e.g. "critical,digitalSignature,keyEncipherment"; omitted: no extension. */
  keyUsage?: string;
  /** openssl extendedKeyUsage value, e.g. "emailProtection"; omitted: no extension. */
  extendedKeyUsage?: string;
  /** -1 makes an expired certificate. */
  days?: number;
  keyType?: 'rsa' | 'ec';
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, {cwd, stdio: ['ignore', 'ignore', 'pipe']});
}

function newKey(folder: string, name: string, type: 'rsa' | 'ec'): string {
  const keyFile = join(folder, `${name}.key`);
  if (type === 'rsa') openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyFile], folder);
  else openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile], folder);
  return keyFile;
}

function read(certFile: string, keyFile: string): IssuedCertificate {
  const pem = readFileSync(certFile, 'utf8');
  const base64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return {certFile, keyFile, pem, der: Buffer.from(base64, 'base64')};
}

export class TestCa {
  private serial = 1;
  private constructor(
    readonly folder: string,
    readonly ca: IssuedCertificate,
  ) {}

  static create(folder: string): TestCa {
    const keyFile = newKey(folder, 'ca', 'ec');
    const certFile = join(folder, 'ca.pem');
    openssl(['req', '-x509', '-new', '-key', keyFile, '-out', certFile, '-days', '3650', '-subj', '/O=nsp-console tests/CN=nsp-console Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], folder);
    return new TestCa(folder, read(certFile, keyFile));
  }

  private issue(name: string, subject: string, extensions: string[], days: number, keyType: 'rsa' | 'ec'): IssuedCertificate {
    const keyFile = newKey(this.folder, name, keyType);
    const csr = join(this.folder, `${name}.csr`);
    const extFile = join(this.folder, `${name}.ext`);
    const certFile = join(this.folder, `${name}.pem`);
    openssl(['req', '-new', '-key', keyFile, '-out', csr, '-subj', subject], this.folder);
    writeFileSync(extFile, `${extensions.join('\n')}\n`);
    openssl(['x509', '-req', '-in', csr, '-CA', this.ca.certFile, '-CAkey', this.ca.keyFile, '-set_serial', String(1000 + this.serial++), '-days', String(days), '-extfile', extFile, '-out', certFile, '-sha256'], this.folder);
    return read(certFile, keyFile);
  }

  /** A TLS server certificate for these names ("IP:127.0.0.1", "DNS:localhost"). */
  server(name: string, altNames: string[]): IssuedCertificate {
    return this.issue(name, `/CN=${altNames[0]!.replace(/^\w+:/, '')}`, [`subjectAltName=${altNames.join(',')}`, 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth'], 365, 'ec');
  }

  smime(name: string, options: SmimeOptions): IssuedCertificate {
    const extensions: string[] = [];
    if (options.sanEmails?.length) extensions.push(`subjectAltName=${options.sanEmails.map(email => `email:${email}`).join(',')}`);
    if (options.keyUsage) extensions.push(`keyUsage=${options.keyUsage}`);
    if (options.extendedKeyUsage) extensions.push(`extendedKeyUsage=${options.extendedKeyUsage}`);
    if (extensions.length === 0) extensions.push('basicConstraints=CA:FALSE');
    const subject = `/O=nsp-console tests/CN=${options.commonName}${options.subjectEmail ? `/emailAddress=${options.subjectEmail}` : ''}`;
    return this.issue(name, subject, extensions, options.days ?? 730, options.keyType ?? 'ec');
  }

  /** A PKCS#7 SignedData (DER) carrying these certificates, as userSMIMECertificate holds it. */
  pkcs7(name: string, certificates: IssuedCertificate[]): Buffer {
    const out = join(this.folder, `${name}.p7b`);
    openssl(['crl2pkcs7', '-nocrl', ...certificates.flatMap(certificate => ['-certfile', certificate.certFile]), '-outform', 'DER', '-out', out], this.folder);
    return readFileSync(out);
  }
}
