import {execFileSync, spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync, readdirSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {verifyBundle} from '../../source/bundle/verify.js';
import {knownSecrets, readWithYauzl, sandboxWithSecrets, secretNeedles, tempDir, treeDigest} from './fixtures.js';
import {ensureBuilt} from '../harness/build.js';
import {consoleCommand, TmuxSession} from '../harness/tmux.js';

const repo = resolve(import.meta.dirname, '..', '..');

describe('the built console: tmux end to end (80x24) and Ctrl-C in bundle create', () => {
  let session: TmuxSession | undefined;
  beforeAll(() => ensureBuilt(), 120_000);
  afterAll(() => session?.kill());

  it.each([['SIGINT'], ['SIGKILL']] as const)('%s during "bundle create": no ZIP under the final name, the sources untouched', async signal => {
    const stateDir = tempDir('sigint');
    const root = sandboxWithSecrets();
    const files = tempDir('sigint-files');
    const attachments: string[] = [];
    for (let index = 0; index < 6; index++) {
      const path = join(files, `capture-${index}.bin`);
      writeFileSync(path, randomBytes(32 * 1024 * 1024));
      attachments.push('--attach', path);
    }
    const before = treeDigest(root) + treeDigest(files);
    const child = spawn(process.execPath, [join(repo, 'bin', 'nsp-console.js'), 'bundle', 'create', '--state-dir', stateDir, '--root', root, '--description', 'abort me', ...attachments], {stdio: ['ignore', 'pipe', 'pipe']});
    let stderr = '';
    child.stderr.on('data', chunk => (stderr += chunk));
    const exited = new Promise<number | null>(done => child.on('exit', code => done(code)));
    const output = join(stateDir, 'output');
    const deadline = Date.now() + 30_000;
    while (!(existsSync(output) && readdirSync(output).some(name => name.endsWith('.partial'))) && Date.now() < deadline) await new Promise(done => setTimeout(done, 10));
    // While it is written the ZIP has a temporary name; nothing carries the final name yet.
    expect(readdirSync(output).some(name => name.endsWith('.partial')), 'the partial ZIP appeared').toBe(true);
    expect(readdirSync(output).some(name => name.endsWith('.zip'))).toBe(false);
    child.kill(signal);
    const code = await exited;
    if (signal === 'SIGINT') {
      expect(stderr).toContain('Aborted: the partial bundle was removed');
      expect(code).toBe(3);
      expect(readdirSync(output)).toEqual([]);
    } else expect(readdirSync(output).filter(name => name.endsWith('.zip'))).toEqual([]);
    expect(treeDigest(root) + treeDigest(files)).toBe(before);
  });

  it('collects, writes and verifies a support bundle from the checklist', async () => {
    const stateDir = tempDir('tmux');
    const root = sandboxWithSecrets();
    session = new TmuxSession(consoleCommand(['--state-dir', stateDir, '--root', root, '--ascii']));
    await session.waitFor('What do you want to do?');
    // The shell's menu reads its index from the last render: wait for the pointer before Enter.
    session.sendKeys('4');
    await session.waitFor(/> \d* ?Support data bundle/);
    session.sendKeys('Enter');
    let screen = await session.waitFor(/Configuration \(redacted\)\s+5 file/);
    expect(screen).toContain('Support data:');
    // The screen body (below the shell's 4-line header) is plain ASCII in --ascii mode.
    for (const line of screen.split('\n').slice(4)) expect(line).toMatch(/^[\x20-\x7e]*$/);
    // Description: second row.
    session.sendKeys('Down');
    await session.waitFor(/> to enter Problem description/);
    session.sendKeys('Enter');
    await session.waitFor('Describe the problem');
    session.sendBurst('Partner mails stay in the queue');
    session.sendKeys('Enter');
    session.sendBurst('Proxy password: ' + knownSecrets.proxyPassword);
    session.sendKeys('C-d');
    await session.waitFor(/found\s+Problem description\s+2 lines/);
    session.sendBurst('c');
    // The output path is found once the summary is open: wait for it with the title.
    screen = await session.waitFor(s => s.includes('Summary: write the support bundle?') && /nsp-support-/.test(s));
    session.sendKeys('Enter');
    screen = await session.waitFor('Support bundle written');
    const path = /(\/\S*nsp-support-[\w.-]+\.zip)/.exec(screen.replace(/\n/g, ''))?.[1];
    expect(path, screen).toBeDefined();
    expect(existsSync(path!)).toBe(true);
    expect(execFileSync('unzip', ['-t', path!], {encoding: 'utf8'})).toContain('No errors detected');
    const report = await verifyBundle(path!);
    expect(report.ok).toBe(true);
    const description = (await readWithYauzl(path!)).get('description.txt')!.toString('utf8');
    expect(description).toContain('Partner mails stay in the queue');
    for (const [name, bytes] of await readWithYauzl(path!)) for (const needle of secretNeedles()) expect(bytes.includes(needle.bytes), `${needle.label} in ${name}`).toBe(false);
    // Back to the menu and quit cleanly.
    session.sendKeys('Escape');
    await session.waitFor(/Create the bundle/);
    session.sendKeys('Escape');
    await session.waitFor('What do you want to do?');
    session.sendBurst('q');
    await session.waitFor('[exit 0]');
  });
});
