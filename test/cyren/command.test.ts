import {chmod, cp, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {proxyCommand} from '../../source/cyren/command.js';
import {type ConsoleContext, contextFrom} from '../../source/context.js';
import {UsageError} from '../../source/errors.js';
import {SandboxServiceControl, sandboxServicesFile} from '../../source/system/services.js';
import {createPowerShellStub} from '../harness/powershell-stub.js';
import {captureIo} from '../helpers/capture.js';
import {startTargetServer, startTinyproxy, type RunningTinyproxy} from '../harness/tinyproxy.js';

const sandboxCyren = join(import.meta.dirname, '..', '..', 'examples', 'sandbox', 'CYREN');
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'cyren');

interface Run {
  code: number | 'usage' | 'operational';
  stdout: string;
  stderr: string;
  error?: Error;
}

function makeContext(root: string, stateDir: string, overrides: Partial<ConsoleContext> = {}): ConsoleContext {
  return contextFrom({root, isDemo: true, stateDir, hostName: 'test', platform: 'linux', ascii: true, color: false, env: process.env, ...overrides});
}

/** Runs `proxy …` in-process on real files; stdin is piped text (not a terminal). */
async function proxy(context: ConsoleContext, args: string[], stdin = ''): Promise<Run> {
  const {stdout, stderr, io} = captureIo({stdin: Readable.from([Buffer.from(stdin)])});
  try {
    const code = await proxyCommand.run(args, context, io);
    return {code, stdout: stdout(), stderr: stderr()};
  } catch (error) {
    return {code: error instanceof UsageError ? 'usage' : 'operational', stdout: stdout(), stderr: stderr(), error: error as Error};
  }
}

async function snapshot(folder: string): Promise<Record<string, string>> {
  const names = (await readdir(folder)).sort();
  return Object.fromEntries(await Promise.all(names.map(async name => [name, (await readFile(join(folder, name))).toString('hex')] as const)));
}

let root: string;
let stateDir: string;
let context: ConsoleContext;
let cyren: string;

beforeEach(async () => {
  const base = await mkdtemp(join(tmpdir(), 'nsp-proxy-cmd-'));
  root = join(base, 'root');
  stateDir = join(base, 'state');
  cyren = join(root, 'CYREN');
  await cp(sandboxCyren, cyren, {recursive: true});
  context = makeContext(root, stateDir);
});
afterEach(async () => {
  await chmod(cyren, 0o755).catch(() => {});
  await rm(join(root, '..'), {recursive: true, force: true});
});

describe('proxy show', () => {
  it('shows each file, never the password, and passwordSet in JSON', async () => {
    const set = await proxy(context, ['set', '--server', 'proxy.example.com', '--port', '3128', '--auth', 'basic', '--user', 'svc', '--password-stdin', '--yes', '--no-restart'], 'Very$ecret1\n');
    expect(set.code).toBe(0);
    const text = await proxy(context, ['show']);
    expect(text.stdout).toMatch(/ctasd\.conf\s+enabled\s+proxy\.example\.com:3128\s+auth Basic\s+user svc\s+password set/);
    const json = await proxy(context, ['show', '--json']);
    const overview = JSON.parse(json.stdout);
    expect(overview.files.map((file: {passwordSet: boolean}) => file.passwordSet)).toEqual([true, true, true]);
    expect(overview.agree).toBe(true);
    for (const output of [set.stdout, set.stderr, text.stdout, json.stdout]) expect(output).not.toContain('Very$ecret1');
  });

  it('reports files that disagree and explains a missing file by version', async () => {
    await rm(join(cyren, 'ctwsd.conf'));
    const ctipd = join(cyren, 'ctipd.conf');
    await writeFile(ctipd, (await readFile(ctipd, 'utf8')).replace('#ProxyPort = 80', 'ProxyPort = 8080').replace('#ProxyServerAddress = myproxy', 'ProxyServerAddress = other.example').replace('#ProxyAccess = 1', 'ProxyAccess = 1'));
    const overview = JSON.parse((await proxy(context, ['show', '--json'])).stdout);
    expect(overview.agree).toBe(false);
    expect(overview.disagreements.join('\n')).toMatch(/Status differs: ctasd.conf disabled, ctipd.conf enabled/);
    expect(overview.disagreements.join('\n')).toMatch(/Server differs/);
    expect(overview.missing).toEqual([{file: 'ctwsd.conf', normal: true, explanation: expect.stringMatching(/normal before NoSpamProxy 13/)}]);
    const text = await proxy(context, ['show']);
    expect(text.stdout).toMatch(/The files disagree:/);
  });

  it('explains a missing CYREN folder', async () => {
    await rm(cyren, {recursive: true});
    const run = await proxy(context, ['show']);
    expect(run.code).toBe('operational');
    expect(run.error!.message).toMatch(/There is no CYREN folder at .*Protection module/);
  });
});

describe('proxy set / disable: bad input is refused and nothing is written', () => {
  const cases: [string, string[], string, RegExp][] = [
    ['port 0', ['--server', 'p.example', '--port', '0'], '', /out of range/],
    ['port 70000', ['--server', 'p.example', '--port', '70000'], '', /out of range/],
    ['port abc', ['--server', 'p.example', '--port', 'abc'], '', /"abc" is not a port/],
    ['host with spaces', ['--server', 'my proxy', '--port', '80'], '', /cannot contain spaces/],
    ['host with a port', ['--server', 'p.example:80', '--port', '80'], '', /port field/],
    ['bad IPv4', ['--server', '10.0.0.300', '--port', '80'], '', /not a valid IPv4/],
    ['password with a line break', ['--server', 'p.example', '--port', '80', '--auth', 'basic', '--user', 'u', '--password-stdin'], 'line1\nline2\n', /line break/],
    ['password starting with #', ['--server', 'p.example', '--port', '80', '--auth', 'basic', '--user', 'u', '--password-stdin'], '#secret\n', /cannot start with "#"/],
    ['empty password', ['--server', 'p.example', '--port', '80', '--auth', 'basic', '--user', 'u', '--password-stdin'], '\n', /Enter the password/],
    ['user with a line break', ['--server', 'p.example', '--port', '80', '--auth', 'basic', '--user', 'a\nb', '--password-stdin'], 'x\n', /line break/],
    ['basic without a password source', ['--server', 'p.example', '--port', '80', '--auth', 'basic', '--user', 'u'], '', /--password-stdin/],
    ['unknown auth', ['--server', 'p.example', '--port', '80', '--auth', 'ntlm'], '', /noauth or basic/],
    ['a password on the command line', ['--server', 'p.example', '--port', '80', '--password', 'x'], '', /Unknown option/],
  ];
  for (const [label, args, stdin, message] of cases) {
    it(label, async () => {
      const before = await snapshot(cyren);
      const run = await proxy(context, ['set', ...args, '--yes'], stdin);
      expect(run.code).toBe('usage');
      expect(run.error!.message).toMatch(message);
      expect(await snapshot(cyren)).toEqual(before);
    });
  }

  it('without --yes and without a terminal: shows the change, refuses, writes nothing', async () => {
    const before = await snapshot(cyren);
    const run = await proxy(context, ['set', '--server', 'p.example', '--port', '80']);
    expect(run.code).toBe('usage');
    expect(run.stdout).toMatch(/\+ ProxyServerAddress = p\.example/);
    expect(run.error!.message).toMatch(/no terminal to confirm on.*--yes/);
    expect(await snapshot(cyren)).toEqual(before);
  });

  it('a read-only file: refused with a clear message, and the files written before it are put back', async () => {
    const before = await snapshot(cyren);
    await chmod(join(cyren, 'ctipd.conf'), 0o444);
    const run = await proxy(context, ['set', '--server', 'p.example', '--port', '80', '--yes', '--no-restart']);
    expect(run.code).toBe('operational');
    expect(run.error!.message).toMatch(/ctipd\.conf is read-only/);
    expect(run.error!.message).toMatch(/ctasd\.conf, already written, was put back/);
    // The same files, and no backup left behind for a change that did not happen.
    await chmod(join(cyren, 'ctipd.conf'), 0o644);
    expect(await snapshot(cyren)).toEqual(before);
  });

  it('a value the file\'s encoding cannot hold is refused for all files', async () => {
    await cp(join(fixtures, 'latin1.conf'), join(cyren, 'ctwsd.conf'));
    const before = await snapshot(cyren);
    const run = await proxy(context, ['set', '--server', 'p.example', '--port', '80', '--auth', 'basic', '--user', 'u', '--password-stdin', '--yes'], 'pass\u0141\n');
    expect(run.code).toBe('usage');
    expect(run.error!.message).toMatch(/ctwsd\.conf: The password contains some characters that ANSI \(windows-1252\) cannot hold/);
    expect(run.error!.message).not.toContain('\u0141');
    expect(await snapshot(cyren)).toEqual(before);
  });

  it('refuses where no proxy block exists instead of guessing', async () => {
    await cp(join(fixtures, 'no-connectivity.conf'), join(cyren, 'ctipd.conf'));
    const run = await proxy(context, ['set', '--server', 'p.example', '--port', '80', '--yes']);
    expect(run.code).toBe('usage');
    expect(run.error!.message).toMatch(/ctipd\.conf: No proxy lines, no \[Connectivity\] section .* does not guess/);
  });
});

describe('proxy set / disable / restore with the sandbox services', () => {
  it('sets, restarts the three services, disables, restores the latest backup set', async () => {
    const originals = await snapshot(cyren);
    const set = await proxy(context, ['set', '--server', '10.1.2.3', '--port', '8080', '--yes']);
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/restarted\s+NoSpamProxy . CYREN Service \(NspSandboxCyren\), running/);
    expect(set.stdout).toMatch(/CYREN URL Categorization Service/);
    const services = await new SandboxServiceControl(root).load();
    expect(services.log.filter(entry => entry.action === 'start').map(entry => entry.name)).toEqual(['NspSandboxCyren', 'NspSandboxCyrenIpReputation', 'NspSandboxCyrenUrlCategorization']);

    const again = await proxy(context, ['set', '--server', '10.1.2.3', '--port', '8080', '--yes']);
    expect(again.stdout).toMatch(/Nothing to change/);

    const disable = await proxy(context, ['disable', '--yes', '--no-restart']);
    expect(disable.code).toBe(0);
    expect(disable.stdout).toMatch(/- ProxyPort = 8080\n.*\+ #ProxyPort = 8080/);
    expect(JSON.parse((await proxy(context, ['show', '--json'])).stdout).files.every((file: {status: string}) => file.status === 'disabled')).toBe(true);

    const list = await proxy(context, ['restore']);
    expect(list.stdout).toMatch(/Backups \(newest first/);
    const sets = JSON.parse((await proxy(context, ['restore', '--json'])).stdout) as {stamp: string; files: unknown[]}[];
    expect(sets.length).toBeGreaterThanOrEqual(1);
    // Restore the oldest set: the files as shipped.
    const oldest = sets.at(-1)!.stamp;
    const restored = await proxy(context, ['restore', '--stamp', oldest, '--yes']);
    expect(restored.code).toBe(0);
    const now = await snapshot(cyren);
    for (const name of ['ctasd.conf', 'ctipd.conf', 'ctwsd.conf']) expect(now[name]).toBe(originals[name]);
    expect(restored.stdout).toMatch(/restarted/);
  });

  it('a service that does not come back: says so and gives the roll-back command', async () => {
    const control = new SandboxServiceControl(root);
    const state = await control.load();
    state.services.NspSandboxCyrenIpReputation!.failsToStart = true;
    await control.save(state);
    const run = await proxy(context, ['set', '--server', 'p.example', '--port', '3128', '--yes']);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/FAILED\s+NoSpamProxy . CYREN IP Reputation Service/);
    const command = /nsp-console proxy restore --stamp (\S+) --yes/.exec(run.stdout);
    expect(command).not.toBeNull();
    state.services.NspSandboxCyrenIpReputation!.failsToStart = false;
    await control.save({...(await control.load()), services: {...(await control.load()).services, NspSandboxCyrenIpReputation: {...state.services.NspSandboxCyrenIpReputation!, status: 'stopped'}}});
    const rollback = await proxy(context, ['restore', '--stamp', command![1]!, '--yes']);
    expect(rollback.code).toBe(0);
    expect(JSON.parse((await proxy(context, ['show', '--json'])).stdout).files.every((file: {status: string}) => file.status === 'disabled')).toBe(true);
  });

  it('says which service is missing', async () => {
    const control = new SandboxServiceControl(root);
    const state = await control.load();
    delete state.services.NspSandboxCyrenUrlCategorization;
    await control.save(state);
    const run = await proxy(context, ['set', '--server', 'p.example', '--port', '3128', '--yes']);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/No service named "NoSpamProxy . CYREN URL Categorization Service" was found/);
    expect(await readFile(join(root, sandboxServicesFile), 'utf8')).toContain('NspSandboxCyren');
  });
});

describe('proxy set on "Windows" through a stub PowerShell', () => {
  it('looks the services up by display name and restarts them with PowerShell', async () => {
    const stub = await createPowerShellStub({
      CtasdReal: {DisplayName: 'NoSpamProxy - CYREN Service', Status: 'Running'},
      CtipdReal: {DisplayName: 'NoSpamProxy \u2013 CYREN IP Reputation Service', Status: 'Running'},
      CtwsdReal: {DisplayName: 'NoSpamProxy \u2013 CYREN URL Categorization Service', Status: 'Stopped'},
    });
    const undo = stub.activate();
    try {
      const windows = makeContext(root, stateDir, {platform: 'win32', isDemo: false});
      const run = await proxy(windows, ['set', '--server', 'p.example', '--port', '3128', '--yes']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/restarted\s+NoSpamProxy - CYREN Service \(CtasdReal\), running/);
      const services = await stub.services();
      expect(Object.values(services).map(service => service.Status)).toEqual(['Running', 'Running', 'Running']);
      const calls = await stub.calls();
      expect(calls.filter(call => call.script.includes('-DisplayName')).map(call => call.env.NSP_SERVICE_DISPLAY_PATTERN)).toEqual([
        'NoSpamProxy ? CYREN Service',
        'NoSpamProxy ? CYREN IP Reputation Service',
        'NoSpamProxy ? CYREN URL Categorization Service',
      ]);
      expect(calls.filter(call => call.script.includes('Start-Service')).map(call => call.env.NSP_SERVICE_NAME)).toEqual(['CtasdReal', 'CtipdReal', 'CtwsdReal']);
      // The stopped one is only started, not stopped first.
      expect(calls.filter(call => call.script.includes('Stop-Service')).map(call => call.env.NSP_SERVICE_NAME)).toEqual(['CtasdReal', 'CtipdReal']);
    } finally {
      undo();
      await stub.cleanup();
    }
  });
});

describe('proxy test and set --check against a real tinyproxy', () => {
  let open: RunningTinyproxy;
  let authenticated: RunningTinyproxy;
  let target: Awaited<ReturnType<typeof startTargetServer>>;
  beforeAll(async () => {
    [open, authenticated, target] = await Promise.all([startTinyproxy(), startTinyproxy({basicAuth: {user: 'svc', password: 'right.pass-1'}}), startTargetServer()]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), authenticated?.stop(), target?.stop()]);
  });

  it('tests the proxy from the options, with the KB reminder', async () => {
    const run = await proxy(context, ['test', '--server', '127.0.0.1', '--port', String(open.port), '--target', `127.0.0.1:${target.port}`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/OK +CONNECT 127\.0\.0\.1:\d+: Connected/);
    expect(run.stdout).toMatch(/\*\.ctmail\.com must be reachable/);
  });

  it('tests the proxy from the files, with the password from the file, never printing it', async () => {
    await proxy(context, ['set', '--server', '127.0.0.1', '--port', String(authenticated.port), '--auth', 'basic', '--user', 'svc', '--password-stdin', '--yes', '--no-restart'], 'right.pass-1\n');
    const run = await proxy(context, ['test', '--target', `127.0.0.1:${target.port}`, '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({outcome: 'connected', passed: true, authenticated: true, source: 'option', probes: [{method: 'connect', outcome: 'connected'}]});
    expect(run.stdout).not.toContain('right.pass-1');
  });

  it('set --check reports refused credentials and exits 1', async () => {
    await writeFile(join(stateDir, 'settings.json'), JSON.stringify({cyren: {checkTarget: `127.0.0.1:${target.port}`}})).catch(async () => {
      await (await import('node:fs/promises')).mkdir(stateDir, {recursive: true});
      await writeFile(join(stateDir, 'settings.json'), JSON.stringify({cyren: {checkTarget: `127.0.0.1:${target.port}`}}));
    });
    const run = await proxy(context, ['set', '--server', '127.0.0.1', '--port', String(authenticated.port), '--auth', 'basic', '--user', 'svc', '--password-stdin', '--yes', '--check'], 'wrong.pass\n');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAILED CONNECT 127\.0\.0\.1:\d+: The proxy 127\.0\.0\.1:\d+ refused the user name and password/);
    expect(run.stdout).not.toContain('wrong.pass');
  });

  it('without an enabled file and without --server: a clear usage error', async () => {
    const run = await proxy(context, ['test']);
    expect(run.code).toBe('usage');
    expect(run.error!.message).toMatch(/No CYREN file has the proxy enabled/);
  });
});

describe('a file changed between read and write', () => {
  it('is refused and nothing is written', async () => {
    const {loadCyrenFiles, planProxyChange, saveProxyPlan} = await import('../../source/cyren/proxy-files.js');
    const files = await loadCyrenFiles(root);
    const plan = planProxyChange(files, {kind: 'set', settings: {server: 'p.example', port: 80, auth: 'NoAuth'}});
    const ctwsd = join(cyren, 'ctwsd.conf');
    await writeFile(ctwsd, `${await readFile(ctwsd, 'utf8')}# edited in Notepad meanwhile\r\n`);
    const before = await snapshot(cyren);
    await expect(saveProxyPlan(plan)).rejects.toThrow(/ctwsd\.conf was changed by someone else since it was read.*No file was changed: ctasd\.conf, ctipd\.conf, already written, were put back/s);
    expect(await snapshot(cyren)).toEqual(before);
  });
});

describe('real files of every kind through the command', () => {
  for (const fixture of ['utf16le.conf', 'bom.conf', 'mixed.conf', 'lf.conf', 'no-trailing-newline.conf', 'odd-spacing.conf', 'latin1.conf']) {
    it(`${fixture}: set with Basic, then restore --latest gives back the exact bytes`, async () => {
      const original = await readFile(join(fixtures, fixture));
      await cp(join(fixtures, fixture), join(cyren, 'ctasd.conf'));
      const set = await proxy(context, ['set', '--server', 'proxy.example.com', '--port', '3128', '--auth', 'basic', '--user', 'svc', '--password-stdin', '--yes', '--no-restart'], 'pw.1\n');
      expect(set.code).toBe(0);
      const written = await readFile(join(cyren, 'ctasd.conf'));
      expect(written.subarray(0, 3).equals(original.subarray(0, 3))).toBe(true);
      const overview = JSON.parse((await proxy(context, ['show', '--json'])).stdout);
      expect(overview.files[0]).toMatchObject({file: 'ctasd.conf', status: 'enabled', server: 'proxy.example.com', port: 3128, auth: 'Basic', user: 'svc', passwordSet: true});
      const restored = await proxy(context, ['restore', '--latest', '--yes', '--no-restart']);
      expect(restored.code).toBe(0);
      expect((await readFile(join(cyren, 'ctasd.conf'))).equals(original)).toBe(true);
    });
  }
});
