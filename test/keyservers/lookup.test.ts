import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {lookupAddress, lookupDirectory, toJsonResult} from '../../source/keyservers/lookup.js';
import {clearSessionCredentials, setSessionCredentials} from '../../source/keyservers/credentials.js';
import {currentConnections} from '../harness/slapd.js';
import {domain, directory, manyEntries, serverSizeLimit, startTestWorld, type TestWorld} from '../harness/keyserver-world.js';

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld();
});
afterAll(async () => {
  await world?.stop();
});

describe('lookup against a real slapd', () => {
  it('finds two certificates on one entry over plain LDAP, with full details', async () => {
    const result = await lookupDirectory(world.directories.plain, `alice@${domain}`);
    expect(result.status).toBe('found');
    expect(result.entries).toBe(1);
    expect(result.certificates).toHaveLength(2);
    const rsa = result.certificates.find(found => found.details.subject.includes('Alice Example,'))!.details;
    expect(rsa.subject).toBe(`emailAddress=alice@${domain}, CN=Alice Example, O=nsp-console tests`);
    expect(rsa.issuer).toBe('CN=nsp-console Test CA, O=nsp-console tests');
    expect(rsa.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(rsa.extendedKeyUsage).toEqual(['emailProtection', 'clientAuth']);
    expect(rsa.emails).toEqual([`alice@${domain}`]);
    expect(rsa.canEncrypt).toBe(true);
    expect(rsa.canSign).toBe(true);
    expect(rsa.expired).toBe(false);
    expect(rsa.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(rsa.sha256).toBe(createHashHex(world.certs.alice.der));
    expect(rsa.source).toBe('userCertificate;binary');
    expect(rsa.serial).toMatch(/^[0-9A-F]+$/);
    const ec = result.certificates.find(found => found.details.subject.includes('(2)'))!.details;
    expect(ec.keyUsage).toEqual(['digitalSignature', 'keyAgreement']);
    expect(ec.emails).toEqual([`alice@${domain}`, `a.example@${domain}`]);
    expect(ec.canEncrypt).toBe(true);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('reports no entry, and an entry without a certificate', async () => {
    const [none, noCert] = await lookupAddress([world.directories.plain, {...world.directories.plain, id: 'second'}], 'x', {}).then(async () => [
      await lookupDirectory(world.directories.plain, `nobody@${domain}`),
      await lookupDirectory(world.directories.plain, `nocert@${domain}`),
    ]);
    expect(none!.status).toBe('no-entry');
    expect(none!.entries).toBe(0);
    expect(noCert!.status).toBe('no-certificate');
    expect(noCert!.entries).toBe(1);
  });

  it('counts two entries for one address, and judges usage: sign-only and server-only EKU', async () => {
    const result = await lookupDirectory(world.directories.plain, `twin@${domain}`);
    expect(result.status).toBe('found');
    expect(result.entries).toBe(2);
    expect(result.message).toBe('2 certificates on 2 entries');
    const carol = result.certificates.find(found => found.details.subject.includes('Carol'))!.details;
    expect([carol.canSign, carol.canEncrypt]).toEqual([true, false]);
    expect(carol.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    const erin = result.certificates.find(found => found.details.subject.includes('Erin'))!.details;
    expect(erin.extendedKeyUsage).toEqual(['serverAuth']);
    expect([erin.canSign, erin.canEncrypt]).toEqual([false, false]);
  });

  it('marks an expired certificate and does not call it usable', async () => {
    const result = await lookupDirectory(world.directories.plain, `bob@${domain}`);
    const bob = result.certificates[0]!.details;
    expect(bob.expired).toBe(true);
    expect(bob.canEncrypt).toBe(false);
    expect(bob.canSign).toBe(false);
  });

  it('extracts the end-entity certificate from userSMIMECertificate (PKCS#7), leaving out the CA', async () => {
    const result = await lookupDirectory(world.directories.plain, `dave@${domain}`);
    expect(result.status).toBe('found');
    expect(result.certificates.map(found => found.details.subject)).toEqual(['CN=Dave PKCS7, O=nsp-console tests']);
    expect(result.certificates[0]!.details.source).toBe('userSMIMECertificate');
  });

  it('searches every namingContext when the base DN is unlimited (null)', async () => {
    const result = await lookupDirectory(world.directories.unlimited, `alice@${domain}`);
    expect(result.status).toBe('found');
    expect(result.certificates).toHaveLength(2);
  });

  it('shows what came back when the server size limit cuts the answer', async () => {
    const result = await lookupDirectory(world.directories.plain, `many@${domain}`);
    expect(manyEntries).toBeGreaterThan(serverSizeLimit);
    expect(result.status).toBe('found');
    expect(result.truncated).toBe(true);
    expect(result.entries).toBe(serverSizeLimit);
    expect(result.certificates).toHaveLength(2);
    const json = toJsonResult(result);
    expect(json.truncated).toBe(true);
    expect(json.message).toContain('size limit');
  });

  it('reports size-limit as an error kind when the cut answer holds no certificate', async () => {
    const result = await lookupDirectory(world.directories.plain, `bare@${domain}`);
    expect(result.status).toBe('error');
    expect(result.errorKind).toBe('size-limit');
    expect(result.entries).toBe(serverSizeLimit);
    expect(toJsonResult(result)).toMatchObject({status: 'error', errorKind: 'size-limit', truncated: true, entries: serverSizeLimit});
  });

  it('works over StartTLS and LDAPS with the test CA', async () => {
    for (const dir of [world.directories.startTls, world.directories.ldaps]) {
      const result = await lookupDirectory(dir, `alice@${domain}`);
      expect(result.status, `${dir.id}: ${result.message}`).toBe('found');
    }
  });

  it('binds to a bind-only directory; anonymous access there is refused as auth', async () => {
    const bound = await lookupDirectory(world.directories.bindOnly, `alice@${domain}`);
    expect(bound.status, bound.message).toBe('found');
    const anonymous = await lookupDirectory({...world.directories.bindOnly, bindDn: null, password: null}, `alice@${domain}`);
    expect(anonymous.status).toBe('error');
    expect(anonymous.errorKind, anonymous.message).toBe('auth');
  });

  it('says "needs credentials" for a directory that requires them, and uses credentials typed this session', async () => {
    const required = {...world.directories.bindOnly, bindDn: null, password: null, credentialsRequired: true};
    const before = await lookupDirectory(required, `alice@${domain}`);
    expect(before.status).toBe('needs-credentials');
    expect(before.errorKind).toBeUndefined();
    setSessionCredentials(required.id, world.bindDn, world.bindPassword);
    try {
      const after = await lookupDirectory(required, `alice@${domain}`);
      expect(after.status, after.message).toBe('found');
    } finally {
      clearSessionCredentials(required.id);
    }
    const envPassword = await lookupDirectory({...required, bindDn: world.bindDn}, `alice@${domain}`, {env: {NSP_CONSOLE_KEYSERVER_PASSWORD_BINDONLY: world.bindPassword}});
    expect(envPassword.status, envPassword.message).toBe('found');
  });

  it('finds nothing and harms nothing for filter-injection addresses', async () => {
    for (const address of ['*)(uid=*', `*@${domain}`, `"*)(uid=*"@${domain}`, `alice@${domain})(mail=*`]) {
      const result = await lookupDirectory(world.directories.plain, address);
      expect(result.status, `${address}: ${result.message}`).toBe('no-entry');
    }
    const still = await lookupDirectory(world.directories.plain, `alice@${domain}`);
    expect(still.status).toBe('found');
  });
});

describe('connections', () => {
  it('leaves no connection open on the server after a lookup, including failed binds and TLS', async () => {
    const d = world.directories;
    await lookupAddress([d.plain, d.unlimited, d.startTls, d.ldaps, d.wrongBase, {...d.plain, id: 'again'}], `many@${domain}`);
    await lookupAddress([d.bindOnly, d.wrongPassword], `alice@${domain}`);
    // slapd notices a closed socket a moment later; only the monitor query's own connection remains.
    await expect.poll(() => currentConnections(world.open), {timeout: 5_000}).toBe(1);
    await expect.poll(() => currentConnections(world.closed), {timeout: 5_000}).toBe(1);
  });
});

describe('faults, each with its own kind', () => {
  it.each([
    ['refused', 'refused'],
    ['mismatch', 'tls'],
    ['wrongPassword', 'auth'],
    ['wrongBase', 'no-such-base'],
    ['dns', 'dns'],
  ] as const)('%s → %s', async (name, kind) => {
    const result = await lookupDirectory(world.directories[name], `alice@${domain}`, {timeoutMs: 5_000});
    expect(result.status).toBe('error');
    expect(result.errorKind, result.message).toBe(kind);
    expect(result.message.length).toBeGreaterThan(10);
    expect(result.message).not.toMatch(/Code: 0x|\s{2}/);
  });

  it('names the TLS reason for a host-name mismatch and for an untrusted CA', async () => {
    const mismatch = await lookupDirectory(world.directories.mismatch, `alice@${domain}`);
    expect(mismatch.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(mismatch.message).toContain('DNS:wrong-name.invalid, not 127.0.0.1');
    const untrusted = await lookupDirectory({...world.directories.ldaps, caFile: null}, `alice@${domain}`);
    expect(untrusted.errorKind).toBe('tls');
    expect(untrusted.message).toMatch(/UNABLE_TO_VERIFY|self.signed|local issuer/i);
  });

  it('keeps the overall deadline against a socket that accepts and never answers, also for unlimited search', async () => {
    const started = Date.now();
    const results = await lookupAddress(
      [world.directories.blackhole, {...world.directories.blackhole, id: 'blackhole-unlimited', baseDn: null}, {...world.directories.blackhole, id: 'blackhole-3', startTls: true}, world.directories.plain],
      `alice@${domain}`,
      {timeoutMs: 1_500},
    );
    const wall = Date.now() - started;
    expect(results.map(result => result.errorKind ?? result.status)).toEqual(['timeout', 'timeout', 'timeout', 'found']);
    // Not a speed check: one deadline for all (in parallel), not three after each other, and not forever.
    expect(wall).toBeLessThan(1_500 + 2_000);
    expect(results[0]!.message).toContain('1.5 s');
  });

  it('reports a directory with an unreadable CA file as a TLS failure', async () => {
    const result = await lookupDirectory({...world.directories.ldaps, caFile: '/nonexistent/ca.pem'}, `alice@${domain}`);
    expect(result.errorKind).toBe('tls');
    expect(result.message).toContain('/nonexistent/ca.pem');
  });

  it('maps a StartTLS refusal to tls (server without TLS configured)', async () => {
    const result = await lookupDirectory(directory('no-tls', world.closed.url, {startTls: true, baseDn: 'dc=private,dc=example'}), `alice@${domain}`);
    expect(result.errorKind).toBe('tls');
  });
});

import {createHash} from 'node:crypto';
function createHashHex(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

describe('the --json form of a directory result', () => {
  const base = {id: 'd', name: 'D', url: 'ldap://d', message: 'm', elapsedMs: 5, entries: 1, certificates: [], skippedValues: 2};
  const details = {subject: 'CN=A'} as never;
  it.each([
    ['found', {...base, status: 'found', truncated: false, certificates: [{der: Buffer.alloc(1), details}]}, '{"id":"d","name":"D","url":"ldap://d","status":"found","message":"m","elapsedMs":5,"entries":1,"certificates":[{"subject":"CN=A"}]}'],
    ['an error', {...base, status: 'error', errorKind: 'timeout', truncated: false}, '{"id":"d","name":"D","url":"ldap://d","status":"error","errorKind":"timeout","message":"m","elapsedMs":5,"entries":1,"certificates":[]}'],
    ['a cut answer', {...base, status: 'error', errorKind: 'size-limit', truncated: true}, '{"id":"d","name":"D","url":"ldap://d","status":"error","errorKind":"size-limit","message":"m","elapsedMs":5,"entries":1,"truncated":true,"certificates":[]}'],
  ] as const)('%s: fields in a fixed order, optional ones only when set, no DER, no skipped count', (_, result, expected) => {
    expect(JSON.stringify(toJsonResult(result as never))).toBe(expected);
  });
});
