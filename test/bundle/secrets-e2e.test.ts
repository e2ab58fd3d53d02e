import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {emptyRequest} from '../../source/bundle/create.js';
import {collectOne} from '../../source/bundle/items.js';
import {main} from '../../source/cli.js';
import {forgetSecrets, secretForms} from '../../source/system/secret-registry.js';
import {encodeWindows1252} from '../../source/system/text-codec.js';
import {captureIo} from '../helpers/capture.js';
import {readWithYauzl, tempDir} from './fixtures.js';
import {corpus, corpusEncodings, corpusFile, leakedSecret, type CorpusEncoding} from './secret-corpus.js';
import {contextFrom} from '../../source/context.js';

async function run(argv: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  const captured = captureIo();
  const code = await main(argv, captured.io, {...process.env, NSP_ROOT: '', NSP_CONSOLE_STATE_DIR: ''});
  return {code, stdout: captured.stdout(), stderr: captured.stderr()};
}

/** A data root whose configuration files are the hostile corpus in one encoding. */
function hostileRoot(encoding: CorpusEncoding): string {
  const root = join(tempDir(`hostile-${encoding}`), 'data');
  mkdirSync(join(root, 'CYREN'), {recursive: true});
  mkdirSync(join(root, 'Configuration'), {recursive: true});
  for (const name of ['ctasd.conf', 'ctwsd.conf']) writeFileSync(join(root, 'CYREN', name), corpusFile(name, encoding));
  for (const name of ['Gateway Role.config', 'Intranet Role.config', 'web.config']) writeFileSync(join(root, 'Configuration', name), corpusFile(name, encoding));
  return root;
}

/** Inputs that repeat the secrets elsewhere: typed text, a track, file names, other encodings. */
function hostileInputs(): {args: string[]} {
  const folder = tempDir('hostile-inputs');
  const track = join(folder, 'track-Forms-798.json');
  writeFileSync(track, JSON.stringify({Id: 4711, Status: 'DispatcherError', Direction: 'FromLocal', Sent: '2026-11-27T09:14:03Z', Sender: 'alice@example.com', Recipient: 'bob@partner.example', Subject: 'Password Cred-794 for the portal'}));
  const named = join(folder, 'notes Cred-794 and Proxy Pass;801.txt');
  writeFileSync(named, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('UTF-16 notes: the licence 0001-LICENCE-799, the DB password Amp&Lt<781, Semi;Colon=795\r\n', 'utf16le')]));
  const ansi = join(folder, 'ansi-notes.log');
  writeFileSync(ansi, encodeWindows1252('Müller: AppSettings-793 und Bind\'Quote-784 über Token"Dq-791\r\n')!);
  const bigEndian = join(folder, 'be-notes.txt');
  writeFileSync(bigEndian, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('BE: ValKey-796ABCDEF Element&amp;Pw-786 corp\\proxy-800\n', 'utf16le').swap16()]));
  return {
    args: [
      '--description', 'Mails stay in the queue. The proxy password is Proxy Pass;801 and the old one was Commented-787.',
      '--queue-note', 'On hold: 3 mails to LIC-789-ABCD-EFGH.example',
      '--message-track', track,
      '--attach', named,
      '--attach', ansi,
      '--attach', bigEndian,
      '--nsp-version', '15.2',
      '--skip', 'eventlog,logs',
    ],
  };
}

describe('hostile corpus end to end: nothing that leaves the process holds a secret', () => {
  beforeEach(() => forgetSecrets());

  for (const encoding of corpusEncodings) {
    for (const json of [false, true]) {
      it(`bundle create (${encoding} configs, ${json ? '--json' : 'text'}): entries, names, manifest and every printed line are clean`, async () => {
        const root = hostileRoot(encoding);
        const stateDir = tempDir('hostile-state');
        const out = join(tempDir('hostile-out'), 'bundle.zip');
        const result = await run(['bundle', 'create', '--root', root, '--state-dir', stateDir, '--out', out, ...hostileInputs().args, ...(json ? ['--json'] : [])]);
        expect(result.code, result.stderr).toBe(0);
        expect(leakedSecret(result.stdout), 'stdout').toBeUndefined();
        expect(leakedSecret(result.stderr), 'stderr').toBeUndefined();
        const entries = await readWithYauzl(out);
        expect(entries.size).toBeGreaterThan(8);
        for (const [name, bytes] of entries) {
          expect(leakedSecret(name), `entry name ${name}`).toBeUndefined();
          expect(leakedSecret(bytes), `entry ${name}`).toBeUndefined();
        }
        // The files are there, redacted, and the non-secret text survived.
        const names = [...entries.keys()];
        expect(names).toEqual(expect.arrayContaining(['config/Gateway-Role.config', 'config/Intranet-Role.config', 'config/web.config', 'config/ctasd.conf', 'description.txt', 'manifest.json']));
        expect(names.some(name => name.startsWith('attachments/notes-REDACTED-and-REDACTED'))).toBe(true);
        expect(entries.get('description.txt')!.toString('utf8')).toContain('Mails stay in the queue. The proxy password is ***REDACTED***');
        const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
        expect(manifest.entries.every((entry: {redactions: number; path: string}) => !entry.path.startsWith('config/') || entry.redactions > 0)).toBe(true);
        const verified = await run(['bundle', 'verify', out]);
        expect(verified.code, verified.stdout).toBe(0);
        expect(leakedSecret(verified.stdout)).toBeUndefined();
      });
    }
  }

  it('a secret in a binary attachment stops the bundle: exit 3, no ZIP, the message names the file, not the value', async () => {
    const root = hostileRoot('utf8');
    const folder = tempDir('hostile-binary');
    const capture = join(folder, 'capture.png');
    writeFileSync(capture, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), Buffer.from('Quo;ted-779', 'utf16le').swap16(), Buffer.alloc(64)]));
    const outFolder = tempDir('hostile-binary-out');
    const out = join(outFolder, 'bundle.zip');
    const result = await run(['bundle', 'create', '--root', root, '--state-dir', tempDir('s'), '--out', out, '--attach', capture, '--description', 'x', '--nsp-version', '1', '--skip', 'eventlog,logs']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/Stopped before writing: attachments\/capture\.png would contain a known secret \(the value of Gateway Role\.config Password\)/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(outFolder)).toEqual([]);
    expect(leakedSecret(result.stdout + result.stderr)).toBeUndefined();
  });

  it('what the checklist screen shows is masked: a secret of a configuration file typed into the description', async () => {
    const root = hostileRoot('utf16le');
    const context = contextFrom({root, isDemo: false, stateDir: tempDir('screen-state'), hostName: 'gw', platform: 'linux' as const, ascii: true, color: false, env: process.env});
    const request = {...emptyRequest(), description: 'It fails since we set Proxy Pass;801 as the proxy password'};
    const item = await collectOne(context, request, 'description', {workFolder: tempDir('work')});
    expect(item.summary).toBe('1 line: It fails since we set *** as the proxy password');
    expect(leakedSecret(JSON.stringify(item))).toBeUndefined();
    // A secret that the 50-character cut would halve is masked before the cut.
    const cut = await collectOne(context, {...request, description: `${'x'.repeat(45)}Proxy Pass;801`}, 'description', {workFolder: tempDir('work')});
    expect(cut.summary).toBe(`1 line: ${'x'.repeat(45)}***`);
  });

  it('--out into a folder that does not exist is refused with exit 2', async () => {
    const result = await run(['bundle', 'create', '--root', hostileRoot('utf8'), '--state-dir', tempDir('s'), '--out', join(tempDir('o'), 'missing', 'b.zip'), '--description', 'x', '--nsp-version', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/does not exist; create it first/);
  });

  it('the planted secrets list is the corpus\'s (a typo would make the search pass vacuously)', () => {
    const all = corpusEncodings.flatMap(encoding => ['Gateway Role.config', 'Intranet Role.config', 'web.config', 'ctasd.conf'].map(name => corpusFile(name, encoding)));
    // Each value is in the files as written there (XML-escaped, quotes doubled) or as is.
    for (const secret of corpus.secrets) expect(all.some(bytes => leakedSecret(bytes, secretForms(secret)) !== undefined), secret).toBe(true);
  });
});
