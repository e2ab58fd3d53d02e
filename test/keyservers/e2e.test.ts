import {execFile, execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {domain, localCatalogue, startTestWorld, type TestWorld} from '../harness/keyserver-world.js';
import {TmuxSession} from './tmux-driver.js';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const binary = join(repo, 'bin', 'nsp-console.js');
let world: TestWorld;
let tmux: TmuxSession | undefined;

/** Rebuilds only when a source file is newer than the bundle (npm test's pretest builds already; a rebuild empties dist/). */
function ensureBuilt(): void {
  const bundle = join(repo, 'dist', 'cli.js');
  const newest = (folder: string): number =>
    readdirSync(folder, {withFileTypes: true}).reduce((latest, entry) => {
      const path = join(folder, entry.name);
      return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= Math.max(newest(join(repo, 'source')), newest(join(repo, 'components')))) return;
  execFileSync('npm', ['run', 'build'], {cwd: repo, stdio: 'ignore'});
}

beforeAll(async () => {
  ensureBuilt();
  world = await startTestWorld();
});
afterAll(async () => {
  tmux?.kill();
  await world?.stop();
});

async function cli(args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  try {
    const {stdout, stderr} = await run('node', [binary, ...args], {cwd: repo, env: {...process.env, NO_COLOR: '1'}});
    return {code: 0, stdout, stderr};
  } catch (error) {
    const failed = error as {code: number; stdout: string; stderr: string};
    return {code: failed.code, stdout: failed.stdout, stderr: failed.stderr};
  }
}

describe('the built binary', () => {
  it('looks up, tests and lists with a --keyservers catalogue pointing at the test slapd', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-keyserver-e2e-'));
    const file = join(stateDir, 'keyservers.json');
    writeFileSync(file, JSON.stringify(localCatalogue(world)));
    const lookup = await cli(['--state-dir', stateDir, 'keyserver', 'lookup', `alice@${domain}`, '--keyservers', file, '--json', '--timeout', '3s']);
    expect(lookup.code, lookup.stderr).toBe(0);
    const output = JSON.parse(lookup.stdout);
    expect(output.results).toHaveLength(11);
    expect(output.results.filter((result: {status: string}) => result.status === 'found')).toHaveLength(6);
    const none = await cli(['--state-dir', stateDir, 'keyserver', 'lookup', `nobody@${domain}`, '--keyservers', file, '--server', 'a-trust']);
    expect(none.code).toBe(1);
    const bad = await cli(['--state-dir', stateDir, 'keyserver', 'lookup', '*)(uid=*', '--keyservers', file]);
    expect(bad.code).toBe(2);
    const test = await cli(['--state-dir', stateDir, 'keyserver', 'test', '--keyservers', file, '--server', 'a-trust', '--server', 'dtrust']);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    const help = await cli(['keyserver', '--help']);
    expect(help.stdout).toContain('--keyservers <file>');
  });

  it('runs the interactive screen in tmux at 80x24 with the catalogue in the state dir', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-keyserver-e2e-'));
    writeFileSync(join(stateDir, 'settings.json'), JSON.stringify({keyservers: localCatalogue(world)}, null, 2));
    tmux = TmuxSession.start(['node', binary, '--state-dir', stateDir], {cwd: repo});
    await tmux.waitFor('What do you want to do?');
    tmux.send('2');
    tmux.send('Enter', false);
    await tmux.waitFor('Address:');
    tmux.send(`alice@${domain}`);
    tmux.send('Enter', false);
    const screen = await tmux.waitFor(/Wrong password\s+error: auth/);
    const done = await tmux.waitFor(/LDAPS again\s+2 certs on 1 entry/);
    const lines = done.split('\n');
    expect(lines.length).toBeLessThanOrEqual(25);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    for (const name of ['Plain LDAP', 'Bind-only', 'Unlimited search', 'LDAPS', 'StartTLS', 'Closed port', 'Wrong base DN', 'Plain again', 'Name mismatch', 'Wrong password', 'LDAPS again']) {
      expect(done, name).toContain(name);
    }
    expect(done).not.toContain('page 1/');
    expect(screen).toContain('Certificates for alice@test.example');
    tmux.send('Enter', false);
    await tmux.waitFor('Plain LDAP: 2 certificates');
    tmux.send('Enter', false);
    const details = await tmux.waitFor('certificate 1 of 2');
    expect(details).toContain('SHA-256:');
    tmux.send('Escape', false);
    await tmux.waitFor('Plain LDAP: 2 certificates');
    tmux.send('Escape', false);
    await tmux.waitFor('Certificates for alice');
    tmux.send('t');
    await tmux.waitFor(/LDAPS again\s+OK/);
    tmux.send('Escape', false);
    await tmux.waitFor('Certificates for alice');
    tmux.send('Escape', false);
    await tmux.waitFor('What do you want to do?');
    tmux.send('q');
    await tmux.waitFor('[exit 0]');
  });
});
