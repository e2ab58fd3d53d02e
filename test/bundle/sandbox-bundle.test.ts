import {execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {createBundle, emptyRequest} from '../../source/bundle/create.js';
import {verifyBundle} from '../../source/bundle/verify.js';
import type {Manifest} from '../../source/bundle/types.js';
import {rememberSecret} from '../../source/system/session-record.js';
import {fakePng, knownSecrets, makeContext, makeLogflowRun, readWithYauzl, sandboxWithSecrets, secretNeedles, sha256, tempDir, treeDigest} from './fixtures.js';

const typedSecret = 'Typed-In-Session-Pw';

describe('a bundle from the demo sandbox with every item', () => {
  let zipPath: string;
  let manifest: Manifest;
  let root: string;
  let before: string;
  let files: string;

  beforeAll(async () => {
    root = sandboxWithSecrets();
    const stateDir = tempDir('state');
    files = tempDir('files');
    before = treeDigest(root);
    rememberSecret(typedSecret);
    makeLogflowRun(stateDir, 'run-older', '2026-11-26T10:00:00Z', '2026-11-26T10:20:00Z', {'gw1/old.log': 'old\n'});
    makeLogflowRun(stateDir, 'run-20261127', '2026-11-27T09:00:00Z', '2026-11-27T09:15:00Z', {
      'Gateway Role 1/smtp.log': `2026-11-27 09:01:00 <- AUTH PLAIN user ${knownSecrets.proxyUser}\r\n2026-11-27 09:01:01 -> 235 ok\r\n`,
      'Gateway Role 1/proxy.log': Buffer.from(`proxy password was ${knownSecrets.proxyPassword}\r\n`, 'utf16le'),
      'Gateway Role 1/dns.log': 'resolved mx.partner.example\n',
    });
    writeFileSync(join(files, 'track-2.json'), JSON.stringify([{Id: 9, Status: 'PermanentlyBlocked', Direction: 'FromExternal', Subject: 'Hi'}]));
    writeFileSync(join(files, 'broken-track.json'), '{"Id": 1,');
    writeFileSync(join(files, 'screenshot.png'), fakePng());
    writeFileSync(join(files, 'notes-utf16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`admin typed ${typedSecret} here\r\n`, 'utf16le')]));
    writeFileSync(join(files, 'on-hold.csv'), 'Id,Sender,Reason\r\n1,a@example.com,PutOnHold\r\n');
    writeFileSync(join(files, 'events.csv'), 'Level,Date and Time,Source,Event ID,Task Category\r\nError,27.11.2026 09:05:00,NoSpamProxy,1001,None\r\nWarning,27.11.2026 09:06:00,NoSpamProxy,2002,None\r\n');
    const context = makeContext(stateDir, root);
    const {written} = await createBundle(context, {
      ...emptyRequest(),
      nspVersion: '15.2.1.7',
      description: `Mails to partner.example stay in the queue.\nStarted 09:00. Proxy password is ${knownSecrets.proxyPassword} (pasted by mistake).`,
      eventLogFile: join(files, 'events.csv'),
      messageTracks: [join(root, 'MessageTracks', 'message-track-4711.json'), join(files, 'track-2.json'), join(files, 'broken-track.json')],
      queueNote: '3 mails on hold for partner.example',
      queueFiles: [join(files, 'on-hold.csv')],
      attachments: [join(files, 'screenshot.png'), join(files, 'notes-utf16.txt')],
      logs: 'latest',
    });
    zipPath = written.path;
    manifest = written.manifest;
  });

  it('is named after host and time in the output folder', () => {
    expect(zipPath).toMatch(/[\\/]output[\\/]nsp-support-gw-test01-\d{8}-\d{4}\.zip$/);
  });

  it('passes Info-ZIP unzip -t', () => {
    const output = execFileSync('unzip', ['-t', zipPath], {encoding: 'utf8'});
    expect(output).toContain('No errors detected');
  });

  it('holds exactly the manifest entries (read with yauzl), each matching its size and sha256', async () => {
    const entries = await readWithYauzl(zipPath);
    const stored = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Manifest;
    expect(stored.entries).toEqual(manifest.entries);
    expect([...entries.keys()].filter(name => name !== 'manifest.json').sort()).toEqual(manifest.entries.map(entry => entry.path).sort());
    for (const entry of manifest.entries) {
      const bytes = entries.get(entry.path)!;
      expect(bytes.length, entry.path).toBe(entry.size);
      expect(sha256(bytes), entry.path).toBe(entry.sha256);
      expect(entry.truncated).toBe(false);
    }
    for (const name of entries.keys()) expect(name).toMatch(/^[\x21-\x7e]+$/);
  });

  it('has the manifest schema of the issue', () => {
    expect(Object.keys(manifest)).toEqual(['tool', 'created', 'host', 'nspVersion', 'entries', 'skipped']);
    expect(manifest.tool.name).toBe('nsp-console');
    expect(manifest.host).toBe('gw-test01');
    expect(manifest.nspVersion).toBe('15.2.1.7');
    for (const entry of manifest.entries) expect(Object.keys(entry)).toEqual(['path', 'source', 'size', 'sha256', 'redactions', 'truncated']);
  });

  it('contains every item, grouped', () => {
    const paths = manifest.entries.map(entry => entry.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'description.txt',
        'environment.json',
        'config/ctasd.conf',
        'config/ctipd.conf',
        'config/ctwsd.conf',
        'config/Gateway-Role.config',
        'config/Intranet-Role.config',
        'eventlog/events.csv',
        'message-tracks/message-track-4711.json',
        'message-tracks/track-2.json',
        'queues/note.txt',
        'queues/on-hold.csv',
        'logs/run-20261127/run.json',
        'logs/run-20261127/Gateway-Role-1_smtp.log',
        'logs/run-20261127/Gateway-Role-1_proxy.log',
        'logs/run-20261127/Gateway-Role-1_dns.log',
        'attachments/screenshot.png',
        'attachments/notes-utf16.txt',
      ]),
    );
    expect(paths.some(path => path.includes('old.log'))).toBe(false);
    expect(manifest.skipped).toEqual(expect.arrayContaining([expect.objectContaining({item: expect.stringContaining('broken-track.json'), reason: expect.stringContaining('not valid JSON')})]));
  });

  it('contains no known secret in any entry, in UTF-8 or UTF-16 LE, and counts the redactions per file', async () => {
    const entries = await readWithYauzl(zipPath);
    for (const [name, bytes] of entries) {
      for (const needle of secretNeedles([...Object.values(knownSecrets), typedSecret])) expect(bytes.includes(needle.bytes), `${needle.label} in ${name}`).toBe(false);
    }
    const redactions = Object.fromEntries(manifest.entries.map(entry => [entry.path, entry.redactions]));
    expect(redactions['config/ctasd.conf']).toBe(4); // licence, user, password, licence inside Server_address
    expect(redactions['config/ctwsd.conf']).toBeGreaterThanOrEqual(2);
    expect(redactions['config/Gateway-Role.config']).toBe(1);
    expect(redactions['config/Intranet-Role.config']).toBe(1);
    expect(redactions['description.txt']).toBe(1);
    expect(redactions['attachments/notes-utf16.txt']).toBe(1);
    expect(redactions['logs/run-20261127/Gateway-Role-1_proxy.log']).toBe(1);
    const ctwsd = entries.get('config/ctwsd.conf')!;
    expect(ctwsd.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    expect(ctwsd.subarray(2).toString('utf16le')).toContain('ProxyPassword = ***REDACTED***');
  });

  it('summarises the message tracks and counts the attached event-log entries', async () => {
    const entries = await readWithYauzl(zipPath);
    const environment = JSON.parse(entries.get('environment.json')!.toString('utf8'));
    expect(environment).toMatchObject({console: {name: 'nsp-console'}, host: 'gw-test01', dataRoot: root, nspVersion: '15.2.1.7'});
    expect(Array.isArray(environment.commands)).toBe(true);
  });

  it('verifies with bundle verify, and a tampered copy fails', async () => {
    const report = await verifyBundle(zipPath);
    expect(report.ok).toBe(true);
    expect(report.checks).toHaveLength(manifest.entries.length);
    const tampered = join(tempDir('tamper'), 'bad.zip');
    const bytes = readFileSync(zipPath);
    const stored = JSON.parse((await readWithYauzl(zipPath)).get('manifest.json')!.toString('utf8')) as Manifest;
    expect(stored.entries.length).toBeGreaterThan(0);
    // Flip one byte inside the stored PNG (stored, not deflated: the bytes are in the file as-is).
    const png = fakePng();
    const at = bytes.indexOf(png.subarray(0, 16));
    expect(at).toBeGreaterThan(0);
    bytes[at + 100] = bytes[at + 100]! ^ 0x01;
    writeFileSync(tampered, bytes);
    const bad = await verifyBundle(tampered);
    expect(bad.ok).toBe(false);
    expect(bad.checks.find(check => check.path === 'attachments/screenshot.png')?.ok).toBe(false);
  });

  it('left the sources unchanged', () => {
    expect(treeDigest(root)).toBe(before);
  });
});
