import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {X509Certificate} from 'node:crypto';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {builtInDirectories} from '../../source/keyservers/catalogue.js';
import {totalConnections} from '../harness/slapd.js';
import {bulkAddress, domain, startTestWorld, type TestWorld} from '../harness/keyserver-world.js';
import {runKeyserver, testContext} from './command-io.js';

let world: TestWorld;
let catalogueFile: string;
beforeAll(async () => {
  world = await startTestWorld({bulkEntries: 1000});
  const d = world.directories;
  catalogueFile = join(world.folder, 'keyservers.json');
  writeFileSync(catalogueFile, JSON.stringify([d.plain, d.ldaps, d.startTls, d.unlimited, {...d.bindOnly, password: null}, d.refused, d.wrongBase], null, 2));
});
afterAll(async () => {
  await world?.stop();
});

describe('keyserver list', () => {
  it('lists the eleven built-in directories as JSON, never a password', async () => {
    const run = await runKeyserver(['list', '--json'], testContext());
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout) as {id: string; baseDn: string | null; url: string; password: null; passwordStored: boolean}[];
    expect(list).toHaveLength(11);
    expect(list.map(item => item.id)).toEqual(builtInDirectories.map(item => item.id));
    expect(list.find(item => item.id === 'dtrust')).toMatchObject({url: 'ldap://directory.d-trust.net:389', baseDn: 'c=de'});
    expect(list.find(item => item.id === 'a-trust')!.baseDn).toBeNull();
  });

  it('shows a --keyservers file instead of the catalogue, without its passwords', async () => {
    const context = testContext();
    const run = await runKeyserver(['list', '--json', '--keyservers', catalogueFile], context);
    const list = JSON.parse(run.stdout) as {id: string; password: null}[];
    expect(list.map(item => item.id)).toEqual(['plain', 'ldaps', 'starttls', 'unlimited', 'bindonly', 'refused', 'wrongbase']);
    const withPassword = join(world.folder, 'with-password.json');
    writeFileSync(withPassword, JSON.stringify([world.directories.bindOnly]));
    const secretRun = await runKeyserver(['list', '--json', '--keyservers', withPassword], context);
    expect(secretRun.stdout).not.toContain(world.bindPassword);
    expect(JSON.parse(secretRun.stdout)[0].passwordStored).toBe(true);
    const text = await runKeyserver(['list', '--keyservers', withPassword], context);
    expect(text.stdout).not.toContain(world.bindPassword);
  });

  it('refuses a broken catalogue file with a clear message (exit 2)', async () => {
    const broken = join(world.folder, 'broken.json');
    writeFileSync(broken, JSON.stringify([{id: 'x', name: 'X', url: 'http://example.com'}]));
    const run = await runKeyserver(['list', '--keyservers', broken], testContext());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('must start with ldap:// or ldaps://');
    writeFileSync(broken, JSON.stringify([{id: 'x', name: 'X', url: 'ldap://h', baseDN: 'c=de'}]));
    expect((await runKeyserver(['list', '--keyservers', broken], testContext())).stderr).toContain('unknown field "baseDN"');
    writeFileSync(broken, '{not json');
    expect((await runKeyserver(['list', '--keyservers', broken], testContext())).stderr).toContain('not valid JSON');
  });
});

describe('keyserver lookup', () => {
  it('prints the documented JSON and exits 0 when a certificate is found', async () => {
    const run = await runKeyserver(['lookup', `alice@${domain}`, '--keyservers', catalogueFile, '--json', '--timeout', '5s'], testContext());
    expect(run.code, run.stderr).toBe(0);
    const output = JSON.parse(run.stdout) as {address: string; results: Record<string, unknown>[]};
    expect(output.address).toBe(`alice@${domain}`);
    const byId = Object.fromEntries(output.results.map(result => [result.id, result]));
    expect(byId.plain).toMatchObject({status: 'found', entries: 1, url: world.directories.plain.url, name: 'plain'});
    expect(byId.ldaps!.status).toBe('found');
    expect(byId.starttls!.status).toBe('found');
    expect(byId.unlimited!.status).toBe('found');
    expect(byId.bindonly).toMatchObject({status: 'needs-credentials'});
    expect(byId.refused).toMatchObject({status: 'error', errorKind: 'refused'});
    expect(byId.wrongbase).toMatchObject({status: 'error', errorKind: 'no-such-base'});
    expect(typeof byId.plain!.elapsedMs).toBe('number');
    const certificate = (byId.plain!.certificates as Record<string, unknown>[])[0]!;
    expect(Object.keys(certificate)).toEqual(expect.arrayContaining(['subject', 'issuer', 'serial', 'notBefore', 'notAfter', 'expired', 'emails', 'keyUsage', 'extendedKeyUsage', 'canEncrypt', 'canSign', 'sha256', 'source']));
    expect(certificate.notAfter).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(byId.plain!.errorKind).toBeUndefined();
  });

  it('uses the password from the environment variable and never prints it', async () => {
    const context = testContext(undefined, {NSP_CONSOLE_KEYSERVER_PASSWORD_BINDONLY: world.bindPassword});
    const run = await runKeyserver(['lookup', `alice@${domain}`, '--keyservers', catalogueFile, '--server', 'bindonly', '--json'], context);
    expect(JSON.parse(run.stdout).results[0].status).toBe('found');
    expect(run.stdout + run.stderr).not.toContain(world.bindPassword);
  });

  it('exits 1 when nothing is found, 3 when every directory failed, 2 for bad input', async () => {
    const none = await runKeyserver(['lookup', `nobody@${domain}`, '--keyservers', catalogueFile, '--server', 'plain', '--server', 'refused'], testContext());
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('no entry');
    const failed = await runKeyserver(['lookup', `alice@${domain}`, '--keyservers', catalogueFile, '--server', 'refused', '--server', 'wrongbase'], testContext());
    expect(failed.code).toBe(3);
    for (const bad of [['lookup', 'alice'], ['lookup', '*)(uid=*'], ['lookup'], ['lookup', 'a@b.example', '--timeout', 'soon'], ['lookup', 'a@b.example', '--timeout', '3m'], ['test', '--timeout', '121s'], ['lookup', 'a@b.example', '--server', 'nope'], ['frobnicate'], ['lookup', 'a@b.example', '--bogus']]) {
      const run = await runKeyserver([...bad, '--keyservers', catalogueFile], testContext());
      expect(run.code, bad.join(' ')).toBe(2);
      expect(run.stderr.length).toBeGreaterThan(5);
    }
  });

  it('exports PEM and DER files that openssl-made originals match', async () => {
    const folder = join(world.folder, 'export');
    const run = await runKeyserver(['lookup', `alice@${domain}`, '--keyservers', catalogueFile, '--server', 'plain', '--export', folder, '--json'], testContext());
    const certificates = JSON.parse(run.stdout).results[0].certificates as {sha256: string; files: {pem: string; der: string}}[];
    expect(certificates).toHaveLength(2);
    for (const certificate of certificates) {
      expect(certificate.files.der.endsWith('.cer')).toBe(true);
      const der = readFileSync(certificate.files.der);
      const pem = readFileSync(certificate.files.pem, 'utf8');
      expect(new X509Certificate(pem).fingerprint256).toBe(new X509Certificate(der).fingerprint256);
      expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    }
    const originals = [world.certs.alice.der, world.certs.alice2.der];
    expect(certificates.map(item => readFileSync(item.files.der)).every(der => originals.some(original => original.equals(der)))).toBe(true);
    // Exporting again is harmless (same bytes); a different file under that name is never overwritten.
    expect((await runKeyserver(['lookup', `alice@${domain}`, '--keyservers', catalogueFile, '--server', 'plain', '--export', folder], testContext())).code).toBe(0);
    writeFileSync(certificates[0]!.files.pem, 'changed by the admin');
    const refused = await runKeyserver(['lookup', `alice@${domain}`, '--keyservers', catalogueFile, '--server', 'plain', '--export', folder], testContext());
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('not overwritten');
    expect(readFileSync(certificates[0]!.files.pem, 'utf8')).toBe('changed by the admin');
  });

  it('prints human-readable details without --json', async () => {
    const run = await runKeyserver(['lookup', `bob@${domain}`, '--keyservers', catalogueFile, '--server', 'plain'], testContext());
    expect(run.stdout).toContain('Bob Expired');
    expect(run.stdout).toMatch(/expired \d+ days? ago/);
    expect(run.stdout).toMatch(/Usable: +not usable for S\/MIME: expired \d+ days? ago/);
    // Why a certificate is not (fully) usable, in words: the EKU without e-mail protection, the missing key-usage bit.
    const twin = await runKeyserver(['lookup', `twin@${domain}`, '--keyservers', catalogueFile, '--server', 'plain'], testContext());
    expect(twin.stdout).toContain('not usable for S/MIME: extended key usage is serverAuth only, no emailProtection');
    expect(twin.stdout).toContain('usable to sign only: key usage (digitalSignature, nonRepudiation) has no keyEncipherment: cannot encrypt');
    const twice = await runKeyserver(['lookup', `alice@${domain}`, '--keyservers', catalogueFile, '--server', 'plain', '--server', 'ldaps'], testContext());
    // Each distinct certificate is described once, with the directories that returned it.
    expect(twice.stdout.match(/SHA-256:/g)).toHaveLength(2);
    expect(twice.stdout).toContain('Found in:   plain, ldaps');
    expect(twice.stdout).toMatch(/plain\s+found\s+\d+ ms\s+2 certificates on 1 entry\s+\[1\] \[2\]/);
  });

  it('says in one line when no directory answered, and what to check', async () => {
    const twoClosed = join(world.folder, 'two-closed.json');
    writeFileSync(twoClosed, JSON.stringify([world.directories.refused, {...world.directories.refused, id: 'refused2', name: 'refused again'}], null, 2));
    const run = await runKeyserver(['lookup', `alice@${domain}`, '--keyservers', twoClosed], testContext());
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(`No directory answered (2 of 2 failed): check DNS/firewall for outbound LDAP ${world.closedPort}`);
    // One directory that answers: no such summary.
    const mixed = await runKeyserver(['lookup', `alice@${domain}`, '--keyservers', catalogueFile, '--server', 'plain', '--server', 'refused'], testContext());
    expect(mixed.stdout).not.toContain('No directory answered');
  });
});

describe('keyserver lookup --file (bulk)', () => {
  it('looks up 1,000 addresses over one connection per directory, JSON lines in input order', async () => {
    const addresses = Array.from({length: 1000}, (_, index) => bulkAddress(index));
    const file = join(world.folder, 'addresses.txt');
    writeFileSync(file, `# partners\n${addresses.join('\n')}\n\n${addresses[5]}\n`);
    const run = await runKeyserver(['lookup', '--file', file, '--keyservers', catalogueFile, '--server', 'plain', '--server', 'refused', '--server', 'unlimited', '--json'], testContext());
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n').map(line => JSON.parse(line) as {address: string; results: {id: string; status: string; errorKind?: string; certificates: unknown[]}[]});
    expect(lines).toHaveLength(1000);
    expect(lines.map(line => line.address)).toEqual(addresses);
    lines.forEach((line, index) => {
      const plain = line.results.find(result => result.id === 'plain')!;
      expect(plain.status).toBe(index % 3 === 2 ? 'no-certificate' : 'found');
      expect(line.results.find(result => result.id === 'unlimited')!.status).toBe(plain.status);
      expect(line.results.find(result => result.id === 'refused')!.errorKind).toBe('refused');
    });
    expect(run.stderr).toContain('1 duplicate line');
    expect(run.stderr).toContain('unavailable: refused');
    expect(run.stderr).not.toContain('\r[');
  });

  it('gives up on a directory that accepts and never answers after one retry, and finishes', async () => {
    const file = join(world.folder, 'with-blackhole.json');
    writeFileSync(file, JSON.stringify([world.directories.plain, world.directories.blackhole]));
    // More batches than the window holds: the first window's time out, the rest go on a fresh connection.
    const addresses = join(world.folder, 'hundred.txt');
    writeFileSync(addresses, Array.from({length: 100}, (_, index) => bulkAddress(index)).join('\n'));
    const run = await runKeyserver(['lookup', '--file', addresses, '--keyservers', file, '--json', '--timeout', '500ms', '--concurrency', '4'], testContext());
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map(line => JSON.parse(line) as {results: {id: string; status: string; errorKind?: string}[]});
    expect(lines).toHaveLength(100);
    for (const line of lines) {
      expect(line.results.find(result => result.id === 'blackhole')!.errorKind).toBe('timeout');
      expect(line.results.find(result => result.id === 'plain')!.status).not.toBe('error');
    }
    expect(run.stderr).toContain('unavailable: blackhole');
  });

  it('connects once per directory for the whole run (slapd connection count)', async () => {
    const addresses = Array.from({length: 200}, (_, index) => bulkAddress(index));
    const file = join(world.folder, 'two-hundred.txt');
    writeFileSync(file, addresses.join('\n'));
    const before = await totalConnections(world.open);
    const run = await runKeyserver(['lookup', '--file', file, '--keyservers', catalogueFile, '--server', 'plain', '--json'], testContext());
    expect(run.code).toBe(0);
    const after = await totalConnections(world.open);
    // The bulk run's one connection plus the monitor query's own.
    expect(after - before).toBe(2);
  });

  it('reads a CSV e-mail column, draws a progress bar on a terminal, refuses invalid lines (exit 2)', async () => {
    const csv = join(world.folder, 'partners.csv');
    writeFileSync(csv, `Name;E-Mail\nAlice;alice@${domain}\n"Twin; the first";twin@${domain}\n`);
    const run = await runKeyserver(['lookup', '--file', csv, '--keyservers', catalogueFile, '--server', 'plain'], testContext(), {stderrIsTTY: true});
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`alice@${domain}  found in plain (2)`);
    expect(run.stdout).toContain(`twin@${domain}  found in plain (2)`);
    expect(run.stderr).toContain('\r[');
    expect(run.stderr).toContain('2/2 addresses');
    const bad = join(world.folder, 'bad.txt');
    writeFileSync(bad, `alice@${domain}\nnot-an-address\n`);
    const refused = await runKeyserver(['lookup', '--file', bad, '--keyservers', catalogueFile], testContext());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('line 2');
    expect(refused.stdout).toBe('');
  });
});

describe('keyserver test', () => {
  it('reports TCP, bind, base and round-trip time per directory', async () => {
    const context = testContext();
    const run = await runKeyserver(['test', '--keyservers', catalogueFile, '--json', '--timeout', '3s'], context);
    const results = JSON.parse(run.stdout).results as {id: string; ok: boolean; tcp: {status: string; rttMs?: number}; bind: {status: string}; base: {status: string; namingContexts?: string[]}; rttMs?: number; errorKind?: string}[];
    const byId = Object.fromEntries(results.map(result => [result.id, result]));
    expect(byId.plain).toMatchObject({ok: true, tcp: {status: 'ok'}, bind: {status: 'anonymous'}, base: {status: 'ok'}});
    expect(typeof byId.plain!.rttMs).toBe('number');
    expect(typeof byId.plain!.tcp.rttMs).toBe('number');
    expect(byId.ldaps!.ok).toBe(true);
    expect(byId.starttls!.ok).toBe(true);
    expect(byId.unlimited!.base.namingContexts).toEqual(['dc=test,dc=example']);
    expect(byId.bindonly!.bind.status).toBe('needs-credentials');
    expect(byId.refused).toMatchObject({ok: false, tcp: {status: 'failed'}, errorKind: 'refused'});
    expect(byId.wrongbase).toMatchObject({ok: false, base: {status: 'missing'}, errorKind: 'no-such-base'});
    expect(run.code).toBe(1);
    const good = await runKeyserver(['test', '--keyservers', catalogueFile, '--server', 'plain', '--server', 'ldaps'], context);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('OK');
    const down = await runKeyserver(['test', '--keyservers', catalogueFile, '--server', 'refused'], context);
    expect(down.code).toBe(3);
  });

  it('reports a wrong password as a failed bind and a blackhole within the deadline', async () => {
    const file = join(world.folder, 'faults.json');
    writeFileSync(file, JSON.stringify([world.directories.wrongPassword, world.directories.blackhole]));
    const run = await runKeyserver(['test', '--keyservers', file, '--json', '--timeout', '1s'], testContext());
    const [wrong, blackhole] = JSON.parse(run.stdout).results;
    expect(wrong).toMatchObject({ok: false, bind: {status: 'failed'}, errorKind: 'auth'});
    expect(blackhole).toMatchObject({ok: false, tcp: {status: 'ok'}, errorKind: 'timeout'});
    expect(run.code).toBe(1);
  });
});


describe('keyserver lookup --file: --batch and --concurrency', () => {
  // [arguments, the one line it must print]
  const refusals: [string[], string][] = [
    [['--batch', '0'], '--batch must be a whole number from 1 to 32 (got 0).'],
    [['--batch', '33'], '--batch must be a whole number from 1 to 32 (got 33).'],
    [['--batch', '2.5'], '--batch must be a whole number from 1 to 32 (got 2.5).'],
    [['--batch', '1e1'], '--batch must be a whole number from 1 to 32 (got 1e1).'],
    [['--concurrency', '257'], '--concurrency must be a whole number from 1 to 256 (got 257).'],
    [['--concurrency', 'x'], '--concurrency must be a whole number from 1 to 256 (got x).'],
  ];
  for (const [extra, line] of refusals) {
    it(`refuses ${extra.join(' ')} (exit 2, one line, nothing looked up)`, async () => {
      const addresses = join(world.folder, 'two.txt');
      writeFileSync(addresses, `alice@${domain}\n${bulkAddress(0)}\n`);
      const run = await runKeyserver(['lookup', '--file', addresses, '--keyservers', catalogueFile, ...extra], testContext());
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(line)]);
      expect(run.stdout).toBe('');
    });
  }

  it('refuses --batch without --file', async () => {
    const run = await runKeyserver(['lookup', `alice@${domain}`, '--batch', '4'], testContext());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--batch only applies to --file.');
  });

  it('prints the same lines with --batch 1 and the default, over every kind of directory in the catalogue', async () => {
    const addresses = join(world.folder, 'mixed.txt');
    writeFileSync(addresses, [...Array.from({length: 40}, (_, index) => bulkAddress(index)), `twin@${domain}`, `many@${domain}`, `nobody@${domain}`, `dave@${domain}`].join('\n'));
    const withoutTimes = (text: string) => text.replace(/"elapsedMs":\d+/g, '');
    const batched = await runKeyserver(['lookup', '--file', addresses, '--keyservers', catalogueFile, '--json'], testContext());
    const single = await runKeyserver(['lookup', '--file', addresses, '--keyservers', catalogueFile, '--json', '--batch', '1'], testContext());
    expect(batched.code).toBe(0);
    expect(withoutTimes(batched.stdout)).toBe(withoutTimes(single.stdout));
    expect(batched.stdout.trim().split('\n')).toHaveLength(44);
  });
});
