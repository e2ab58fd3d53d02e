import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {main} from '../../source/cli.js';
import {captureIo} from '../helpers/capture.js';
import {knownSecrets, makeLogflowRun, readWithYauzl, sandboxWithSecrets, tempDir} from './fixtures.js';

async function run(argv: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  const captured = captureIo();
  const code = await main(argv, captured.io, {...process.env, NSP_ROOT: '', NSP_CONSOLE_STATE_DIR: ''});
  return {code, stdout: captured.stdout(), stderr: captured.stderr()};
}

describe('nsp-console bundle create / verify', () => {
  it('creates a bundle with --json and verifies it', async () => {
    const stateDir = tempDir('cli');
    const root = sandboxWithSecrets();
    makeLogflowRun(stateDir, 'r1', '2026-11-27T09:00:00Z', '2026-11-27T09:10:00Z', {'gw/smtp.log': 'EHLO\n'});
    const description = join(tempDir('d'), 'problem.txt');
    writeFileSync(description, 'Line one\nLine two\n');
    const created = await run(['bundle', 'create', '--state-dir', stateDir, '--root', root, '--description-file', description, '--message-track', join(root, 'MessageTracks', 'message-track-4711.json'), '--logs', 'latest', '--skip', 'queues,attachments', '--nsp-version', '15.0', '--json']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const result = JSON.parse(created.stdout);
    expect(result.path).toMatch(/nsp-support-.*\.zip$/);
    expect(result.items.find((item: {id: string}) => item.id === 'message-tracks').details[0]).toBe('message-track-4711.json: 4711 DispatcherError FromLocal 2026-11-27T09:14:03Z alice@example.com -> bob@partner.example "Quarterly report"');
    expect(result.manifest.skipped).toEqual(expect.arrayContaining([{item: 'queues', reason: 'skipped by the admin'}, {item: 'attachments', reason: 'skipped by the admin'}]));
    expect(result.manifest.entries.map((entry: {path: string}) => entry.path)).toEqual(expect.arrayContaining(['description.txt', 'logs/r1/gw_smtp.log']));
    const entries = await readWithYauzl(result.path);
    expect(entries.get('description.txt')!.toString()).toBe('Line one\nLine two\n');
    for (const bytes of entries.values()) expect(bytes.includes(Buffer.from(knownSecrets.licenseKey))).toBe(false);

    const verified = await run(['bundle', 'verify', result.path]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/OK: all \d+ entries match/);
    const json = await run(['bundle', 'verify', result.path, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ok: true, unlisted: []});
  });

  it('prints the items and the path in text mode', async () => {
    const stateDir = tempDir('cli');
    const out = join(tempDir('out'), 'mine.zip');
    const created = await run(['bundle', 'create', '--state-dir', stateDir, '--root', sandboxWithSecrets(), '--description', 'text mode', '--out', out]);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`Wrote ${out}`);
    expect(created.stdout).toMatch(/found\s+Configuration \(redacted\)\s+5 file\(s\), secrets redacted/);
    expect(created.stdout).toMatch(/skipped eventlog: not provided/);
    const again = await run(['bundle', 'create', '--state-dir', stateDir, '--root', sandboxWithSecrets(), '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists already');
  });

  it('rejects bad usage with exit 2 and a clear message', async () => {
    const stateDir = tempDir('cli');
    const root = sandboxWithSecrets();
    const cases: [string[], RegExp][] = [
      [['--description', 'a', '--description-file', 'b'], /either --description or --description-file/],
      [['--skip', 'bogus'], /--skip bogus: unknown item/],
      [['--since', 'yesterday-ish'], /--since yesterday-ish: not a time/],
      [['--since', '2h', '--until', '3h'], /must be before --until/],
      [['--logs', 'latest'], /No troubleshooting-log run found/],
      [['--max-file-size', 'huge'], /not a size/],
      [['--out', join(stateDir, 'x.tar')], /must be a \.zip/],
      [['extra'], /takes no arguments/],
      [['--level', '10'], /--level must be a whole number from 0 to 9 \(got 10\)/],
      [['--level', '1.5'], /--level must be a whole number from 0 to 9/],
      [['--level', 'fast'], /--level must be a whole number from 0 to 9/],
      [['--level=-1'], /--level must be a whole number from 0 to 9 \(got -1\)/],
    ];
    for (const [args, message] of cases) {
      const result = await run(['bundle', 'create', '--state-dir', stateDir, '--root', root, ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect((await run(['bundle', 'frobnicate', '--state-dir', stateDir])).code).toBe(2);
    expect((await run(['bundle', '--help'])).stdout).toContain('--message-track <file>');
  });

  it('--level sets the compression: 0 stores, 1 is bigger than 9, every one verifies', async () => {
    const stateDir = tempDir('cli');
    const root = sandboxWithSecrets();
    // Text that compresses, with enough variety that zlib's levels differ.
    const log = join(tempDir('attach'), 'smtp.log');
    let text = '';
    for (let index = 0; text.length < 400_000; index++) text += `2026-11-27 08:${String(index % 60).padStart(2, '0')} [${((index * 2654435761) >>> 0).toString(16)}] RCPT TO:<user${(index * 7919) % 997}@example.com> 250 2.1.5 OK size=${(index * 104729) % 500000}\r\n`;
    writeFileSync(log, text);
    const sizes = new Map<string, number>();
    for (const level of ['0', '1', '9']) {
      const out = join(tempDir('out'), `level-${level}.zip`);
      const created = await run(['bundle', 'create', '--state-dir', stateDir, '--root', root, '--attach', log, '--skip', 'config,environment', '--level', level, '--out', out, '--json']);
      expect(created.code, created.stderr).toBe(0);
      sizes.set(level, JSON.parse(created.stdout).bytes);
      expect((await run(['bundle', 'verify', out])).code).toBe(0);
      const entries = await readWithYauzl(out);
      expect([...entries.values()].some(bytes => bytes.equals(Buffer.from(text)))).toBe(true);
      // Stored, the log's bytes are in the ZIP as they are; compressed, they are not.
      expect(readFileSync(out).includes(Buffer.from(text.slice(0, 2000))), `level ${level}`).toBe(level === '0');
    }
    expect(sizes.get('0')!).toBeGreaterThan(text.length);
    expect(sizes.get('1')!).toBeLessThan(text.length / 2);
    expect(sizes.get('9')!).toBeLessThan(sizes.get('1')!);
  });

  it('verify reports a damaged bundle (exit 1) and a file that is no ZIP (exit 3)', async () => {
    const stateDir = tempDir('cli');
    const created = JSON.parse((await run(['bundle', 'create', '--state-dir', stateDir, '--root', sandboxWithSecrets(), '--description', 'x', '--json'])).stdout);
    const bytes = readFileSync(created.path);
    // Make the manifest lie about one entry's hash (re-zipping would be needed otherwise): edit the hash text in the stored manifest.
    const manifest = JSON.parse((await readWithYauzl(created.path)).get('manifest.json')!.toString());
    const target = manifest.entries[0];
    const {writeZip} = await import('../../source/archive/zip-writer.js');
    const forged = join(tempDir('forged'), 'forged.zip');
    const entries = await readWithYauzl(created.path);
    await writeZip(forged, [
      ...[...entries].map(([name, content]) => ({name, source: {kind: 'bytes' as const, data: name === target.path ? Buffer.concat([content, Buffer.from('tampered')]) : content}})),
      {name: 'extra.txt', source: {kind: 'bytes', data: 'not listed'}},
    ]);
    expect(bytes.length).toBeGreaterThan(0);
    const result = await run(['bundle', 'verify', forged]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`FAIL ${target.path.replace(/\./g, '\\.')}: the ZIP declares \\d+ bytes, the manifest \\d+`));
    expect(result.stdout).toContain('FAIL extra.txt: in the ZIP but not in the manifest');
    const notZip = join(tempDir('nz'), 'no.zip');
    writeFileSync(notZip, 'hello');
    const bad = await run(['bundle', 'verify', notZip]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('is not a readable ZIP file');
  });
});
