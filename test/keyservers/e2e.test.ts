import {execFile} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {domain, localCatalogue, startTestWorld, type TestWorld} from '../harness/keyserver-world.js';
import {ensureBuilt} from '../harness/build.js';
import {canConnect} from '../harness/slapd.js';
import {consoleCommand, TmuxSession} from '../harness/tmux.js';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const binary = join(repo, 'bin', 'nsp-console.js');
let world: TestWorld;
let tmux: TmuxSession | undefined;

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
    const {stdout, stderr} = await run('node', [binary, ...args], {cwd: repo, env: {...process.env, NO_COLOR: '1'}, timeout: 60_000});
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

  it('prints no library debug log, and never the bind password, whatever DEBUG says', async () => {
    // ldapts logs each LDAP message (bind DN, the addresses searched) through the `debug` package
    // when DEBUG names it; the build replaces that package with a logger that is always off.
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-keyserver-e2e-'));
    const file = join(stateDir, 'keyservers.json');
    writeFileSync(file, JSON.stringify([world.directories.bindOnly]));
    const addresses = join(stateDir, 'addresses.txt');
    writeFileSync(addresses, `alice@${domain}\nbob@${domain}\n`);
    for (const DEBUG of ['*', 'ldapts']) {
      // [arguments, what shows that the bind succeeded]
      const commands: [string[], RegExp][] = [
        [['lookup', `alice@${domain}`], /"status": ?"found"/],
        [['lookup', '--file', addresses], /"status": ?"found"/],
        [['test'], /"bind": ?\{\s*"status": ?"ok"/],
      ];
      for (const [args, succeeded] of commands) {
        const {stdout, stderr} = await run('node', [binary, '--state-dir', stateDir, 'keyserver', ...args, '--keyservers', file, '--json'], {cwd: repo, env: {...process.env, NO_COLOR: '1', DEBUG}, timeout: 30_000}).catch(error => error as {stdout: string; stderr: string});
        const what = `DEBUG=${DEBUG} keyserver ${args.join(' ')}`;
        expect(stdout, what).toMatch(succeeded);
        expect(stdout + stderr, what).not.toContain(world.bindPassword);
        expect(stdout + stderr, what).not.toMatch(/ldapts|Sending message/);
      }
    }
  });

  it('reaches a directory named by an IPv6 literal (ldapts read [::ffff:127.0.0.1] as 0:0:0:0:0:65535:32512:1)', async context => {
    const {port} = new URL(world.open.url);
    // A kernel booted without IPv6 cannot open such a socket at all: there is nothing to test there.
    if (!(await canConnect(Number(port), '::ffff:127.0.0.1'))) context.skip('this machine cannot open IPv6 sockets');
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-keyserver-e2e-'));
    const file = join(stateDir, 'keyservers.json');
    writeFileSync(file, JSON.stringify([{...world.directories.plain, id: 'v6', url: `ldap://[::ffff:127.0.0.1]:${port}`}]));
    const lookup = await cli(['--state-dir', stateDir, 'keyserver', 'lookup', `alice@${domain}`, '--keyservers', file, '--json', '--timeout', '5s']);
    expect(lookup.code, lookup.stderr).toBe(0);
    expect(JSON.parse(lookup.stdout).results[0]).toMatchObject({id: 'v6', status: 'found'});
  });

  it('runs the interactive screen in tmux at 80x24 with the catalogue in the state dir', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-keyserver-e2e-'));
    writeFileSync(join(stateDir, 'settings.json'), JSON.stringify({keyservers: localCatalogue(world)}, null, 2));
    tmux = new TmuxSession(consoleCommand(['--state-dir', stateDir]), {cwd: repo});
    await tmux.waitFor('What do you want to do?');
    tmux.sendBurst('2\r');
    await tmux.waitFor('Address:');
    // One burst, as SSH delivers it.
    tmux.sendBurst(`alice@${domain}\r`);
    const screen = await tmux.waitFor(/Wrong password\s+error: auth/);
    const done = await tmux.waitFor(/LDAPS again\s+2 certs on 1 entry/, 15_000);
    const lines = done.split('\n');
    expect(lines.length).toBeLessThanOrEqual(25);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    for (const name of ['Plain LDAP', 'Bind-only', 'Unlimited search', 'LDAPS', 'StartTLS', 'Closed port', 'Wrong base DN', 'Plain again', 'Name mismatch', 'Wrong password', 'LDAPS again']) {
      expect(done, name).toContain(name);
    }
    expect(done).not.toContain('page 1/');
    expect(screen).toContain('Certificates for alice@test.example');
    tmux.sendKeys('Enter');
    await tmux.waitFor('Plain LDAP: 2 certificates');
    tmux.sendKeys('Enter');
    const details = await tmux.waitFor('certificate 1 of 2');
    expect(details).toContain('SHA-256:');
    tmux.sendKeys('Escape');
    await tmux.waitFor('Plain LDAP: 2 certificates');
    tmux.sendKeys('Escape');
    await tmux.waitFor('Certificates for alice');
    tmux.sendBurst('t');
    await tmux.waitFor(/LDAPS again\s+OK/);
    tmux.sendKeys('Escape');
    await tmux.waitFor('Certificates for alice');
    tmux.sendKeys('Escape');
    await tmux.waitFor('What do you want to do?');
    tmux.sendBurst('q');
    await tmux.waitFor('[exit 0]');
  });
});
