// The directories the key-server tests, the screen tests and the benchmark talk to: real slapd
// instances on 127.0.0.1 filled with certificates made by a test CA.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Directory} from '../../source/keyservers/catalogue.js';
import {ldifEntry, startBlackhole, startSlapd, freePort, type RunningSlapd} from './slapd.js';
import {TestCa, type IssuedCertificate} from './test-certificates.js';

export interface TestWorld {
  folder: string;
  ca: TestCa;
  certs: Record<'alice' | 'alice2' | 'bobExpired' | 'carolSign' | 'erinServer' | 'dave' | 'many1' | 'many2', IssuedCertificate>;
  /** Anonymous; plain, StartTLS and LDAPS; server size limit 20 (serverSizeLimit). */
  open: RunningSlapd;
  /** Only answers after a simple bind. */
  closed: RunningSlapd;
  /** LDAPS with a certificate for another host name. */
  mismatch: RunningSlapd;
  blackholePort: number;
  closedPort: number;
  bindDn: string;
  bindPassword: string;
  /** Ready-made directory entries for the cases. */
  directories: Record<'plain' | 'unlimited' | 'startTls' | 'ldaps' | 'bindOnly' | 'wrongPassword' | 'wrongBase' | 'refused' | 'blackhole' | 'mismatch' | 'dns', Directory>;
  stop(): Promise<void>;
}

export const domain = 'test.example';
/** Below OpenLDAP's default (500) so that tests reach it; above the default batch of 16 addresses. */
export const serverSizeLimit = 20;
export const manyEntries = 30;

export function directory(id: string, url: string, extra: Partial<Directory> = {}): Directory {
  return {id, name: id, url, startTls: false, bindDn: null, password: null, baseDn: 'dc=test,dc=example', filter: '(mail=%e)', attributes: ['userCertificate;binary'], ...extra};
}

/** Bulk entries bulk0000@… : every third without a certificate. */
export function bulkAddress(index: number): string {
  return `bulk${String(index).padStart(4, '0')}@${domain}`;
}

export async function startTestWorld(options: {bulkEntries?: number} = {}): Promise<TestWorld> {
  const folder = mkdtempSync(join(tmpdir(), 'nsp-keyserver-world-'));
  const ca = TestCa.create(folder);
  const server = ca.server('server', ['IP:127.0.0.1', 'DNS:localhost']);
  const wrongName = ca.server('wrong-name', ['DNS:wrong-name.invalid']);
  const smimeUsage = {keyUsage: 'critical,digitalSignature,keyEncipherment', extendedKeyUsage: 'emailProtection,clientAuth'};
  const certs = {
    alice: ca.smime('alice', {commonName: 'Alice Example', sanEmails: [`alice@${domain}`], subjectEmail: `alice@${domain}`, ...smimeUsage, keyType: 'rsa'}),
    alice2: ca.smime('alice2', {commonName: 'Alice Example (2)', sanEmails: [`alice@${domain}`, `a.example@${domain}`], keyUsage: 'critical,digitalSignature,keyAgreement', extendedKeyUsage: 'emailProtection'}),
    bobExpired: ca.smime('bob', {commonName: 'Bob Expired', sanEmails: [`bob@${domain}`], ...smimeUsage, days: -1}),
    carolSign: ca.smime('carol', {commonName: 'Carol Signer', sanEmails: [`twin@${domain}`], keyUsage: 'critical,digitalSignature,nonRepudiation', extendedKeyUsage: 'emailProtection'}),
    erinServer: ca.smime('erin', {commonName: 'Erin Server', sanEmails: [`twin@${domain}`], keyUsage: 'critical,digitalSignature,keyEncipherment', extendedKeyUsage: 'serverAuth'}),
    dave: ca.smime('dave', {commonName: 'Dave PKCS7', sanEmails: [`dave@${domain}`], ...smimeUsage}),
    many1: ca.smime('many1', {commonName: 'Many One', sanEmails: [`many@${domain}`], ...smimeUsage}),
    many2: ca.smime('many2', {commonName: 'Many Two', sanEmails: [`many@${domain}`], ...smimeUsage}),
  };
  const people = 'ou=people,dc=test,dc=example';
  const person = (uid: string, mail: string, extra: Record<string, string | Buffer | (string | Buffer)[]> = {}) =>
    ldifEntry(`uid=${uid},${people}`, {objectClass: ['inetOrgPerson'], uid, cn: uid, sn: uid, mail, ...extra});
  let ldif = ldifEntry(people, {objectClass: 'organizationalUnit', ou: 'people'});
  ldif += person('alice', `alice@${domain}`, {'userCertificate;binary': [certs.alice.der, certs.alice2.der]});
  ldif += person('nocert', `nocert@${domain}`);
  ldif += person('twin1', `twin@${domain}`, {'userCertificate;binary': certs.carolSign.der});
  ldif += person('twin2', `twin@${domain}`, {'userCertificate;binary': certs.erinServer.der});
  ldif += person('bob', `bob@${domain}`, {'userCertificate;binary': certs.bobExpired.der});
  ldif += person('dave', `dave@${domain}`, {userSMIMECertificate: ca.pkcs7('dave', [certs.dave, ca.ca])});
  for (let index = 0; index < manyEntries; index++) ldif += person(`many${index}`, `many@${domain}`, {'userCertificate;binary': index % 2 === 0 ? certs.many1.der : certs.many2.der});
  for (let index = 0; index < manyEntries; index++) ldif += person(`bare${index}`, `bare@${domain}`);
  for (let index = 0; index < (options.bulkEntries ?? 0); index++) {
    ldif += person(`bulk${index}`, bulkAddress(index), index % 3 === 2 ? {} : {'userCertificate;binary': certs.alice2.der});
  }
  const tls = {certFile: server.certFile, keyFile: server.keyFile, caFile: ca.ca.certFile};
  const bindPassword = 'reader-secret-7';
  const [open, closed, mismatch, blackhole] = await Promise.all([
    startSlapd({ldif, tls, sizeLimit: serverSizeLimit}),
    startSlapd({
      suffix: 'dc=private,dc=example',
      ldif:
        ldifEntry('uid=reader,dc=private,dc=example', {objectClass: ['inetOrgPerson'], uid: 'reader', cn: 'reader', sn: 'reader', userPassword: bindPassword}) +
        ldifEntry('uid=alice,dc=private,dc=example', {objectClass: ['inetOrgPerson'], uid: 'alice', cn: 'alice', sn: 'alice', mail: `alice@${domain}`, 'userCertificate;binary': certs.alice.der}),
      bindOnly: true,
    }),
    startSlapd({tls: {certFile: wrongName.certFile, keyFile: wrongName.keyFile, caFile: ca.ca.certFile}}),
    startBlackhole(),
  ]);
  const closedPort = await freePort();
  const caFile = ca.ca.certFile;
  const bindDn = 'uid=reader,dc=private,dc=example';
  return {
    folder,
    ca,
    certs,
    open,
    closed,
    mismatch,
    blackholePort: blackhole.port,
    closedPort,
    bindDn,
    bindPassword,
    directories: {
      plain: directory('plain', open.url),
      unlimited: directory('unlimited', open.url, {baseDn: null}),
      startTls: directory('starttls', open.url, {startTls: true, caFile}),
      ldaps: directory('ldaps', open.ldapsUrl!, {caFile}),
      bindOnly: directory('bindonly', closed.url, {baseDn: 'dc=private,dc=example', bindDn, password: bindPassword}),
      wrongPassword: directory('wrongpassword', closed.url, {baseDn: 'dc=private,dc=example', bindDn, password: 'not-the-password'}),
      wrongBase: directory('wrongbase', open.url, {baseDn: 'dc=nowhere,dc=example'}),
      refused: directory('refused', `ldap://127.0.0.1:${closedPort}`),
      blackhole: directory('blackhole', `ldap://127.0.0.1:${blackhole.port}`),
      mismatch: directory('mismatch', mismatch.ldapsUrl!, {caFile}),
      dns: directory('dns', 'ldap://no-such-host.invalid:389'),
    },
    async stop() {
      await Promise.all([open.stop(), closed.stop(), mismatch.stop(), blackhole.stop()]);
      rmSync(folder, {recursive: true, force: true});
    },
  };
}

/**
 * Eleven entries under the built-in ids (a custom entry with a built-in's id replaces it), so the
 * screen and the binary talk only to 127.0.0.1. Names say which case each one is.
 */
export function localCatalogue(world: TestWorld, options: {withBlackhole?: boolean} = {}): Directory[] {
  const d = world.directories;
  const as = (id: string, name: string, source: Directory): Directory => ({...source, id, name});
  return [
    as('a-trust', 'Plain LDAP', d.plain),
    {...as('arbeitsagentur', 'Bind-only', d.bindOnly), bindDn: null, password: null, credentialsRequired: true, bindDnHint: 'uid=Username,dc=private,dc=example'},
    as('bsi', 'Unlimited search', d.unlimited),
    as('dtrust', 'LDAPS', d.ldaps),
    as('datev', 'StartTLS', d.startTls),
    as('dfn', 'Closed port', d.refused),
    as('s-trust', 'Wrong base DN', d.wrongBase),
    options.withBlackhole ? as('siemens', 'Blackhole', d.blackhole) : as('siemens', 'Plain again', d.plain),
    as('t-mailpass', 'Name mismatch', d.mismatch),
    as('digicert', 'Wrong password', d.wrongPassword),
    as('swisssign', 'LDAPS again', d.ldaps),
  ];
}
