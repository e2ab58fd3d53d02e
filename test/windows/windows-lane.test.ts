// The Windows lane: dist/nsp-console.exe, the real Windows program, under Wine in one throw-away
// prefix shared by every case of this file (creating a prefix is the slow part). What Wine lacks
// (PowerShell, wevtutil, certutil, sqlcmd) is played by a Windows stand-in found on the Windows PATH.
import {cpSync, existsSync, linkSync, copyFileSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {execFileSync} from 'node:child_process';
import {securityDirectoryOffset, zipPath} from '../../scripts/build-exe.mjs';
import {ensureExeBuilt} from '../harness/build-exe.js';
import {domain, startTestWorld, type TestWorld} from '../harness/keyserver-world.js';
import {projectRoot} from '../harness/tmux.js';
import {installStandIns, type StandIns} from '../harness/windows-standins.js';
import {shellQuote, TmuxSession} from '../harness/tmux.js';
import {WinePrefix, type WineRunOptions} from '../harness/wine.js';

const exe = 'C:\\nsp-test\\nsp-console.exe';
const dataRoot = 'C:\\ProgramData\\Net at Work Mail Gateway';
const nspVersion = '14.0.5.39';
const enDash = '\u2013';

let prefix: WinePrefix;
let standIns: StandIns;
let world: TestWorld | undefined;

/** Runs the exe with output to files (Wine gives a Windows program no pipes). */
function nsp(args: readonly string[], options: WineRunOptions = {}) {
  return prefix.runProgram([exe, ...args], {...options, env: {...standIns.env, ...options.env}});
}

/** Waits for a condition (no sleeps as verdicts): polls until it holds or the deadline passes. */
async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- journal and run record are read as plain JSON
function readJson(path: string): any {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A script role whose commands are .cmd files (run through cmd.exe) in a folder with a space. */
function logflowState(name: string, wait: string): {stateDir: string; logs: string} {
  const stateDir = `C:\\nsp-test\\${name}`;
  const logs = `C:\\nsp-test\\${name} logs`;
  prefix.mkdir(stateDir);
  prefix.mkdir(logs);
  // No space in the tools folder: Wine's cmd.exe does not undo the caret that escapes a space in the
  // command's own path (docs/windows.md); arguments with spaces are tested through role and location.
  const tools = 'C:\\nsp-test\\logtools';
  prefix.mkdir(tools);
  // Each writes its arguments as cmd.exe received them, so the quoting is what the test sees.
  writeFileSync(prefix.linuxPath(`${tools}\\log-on.cmd`), '@echo off\r\necho on %*>> "%~2\\gateway.log"\r\necho logging on for %~1\r\n');
  writeFileSync(prefix.linuxPath(`${tools}\\log-off.cmd`), '@echo off\r\necho off %*>> "%~2\\gateway.log"\r\necho logging off for %~1\r\n');
  const settings = {
    roles: [{name: 'Gateway 1', driver: 'script', location: logs, enable: [`${tools}\\log-on.cmd`, '{role}', '{location}', '{protocols}'], disable: [`${tools}\\log-off.cmd`, '{role}', '{location}']}],
    logflow: {wait, commandTimeout: '60s', verifyOff: '1s', watchdogGrace: '1s'},
  };
  writeFileSync(prefix.linuxPath(`${stateDir}\\settings.json`), JSON.stringify(settings, null, 2));
  return {stateDir, logs};
}

function linuxData(relative: string): string {
  return prefix.linuxPath(`${dataRoot}\\${relative}`);
}

beforeAll(async () => {
  const built = await ensureExeBuilt();
  prefix = new WinePrefix();
  await prefix.create();
  const exeCopy = prefix.linuxPath(exe);
  prefix.mkdir('C:\\nsp-test');
  try {
    linkSync(built, exeCopy);
  } catch {
    copyFileSync(built, exeCopy);
  }
  standIns = await installStandIns(prefix);
  // A NoSpamProxy installation: the data folder (CRLF files, as on a server) and the version in the registry.
  cpSync(join(projectRoot, 'examples', 'sandbox'), prefix.linuxPath(dataRoot), {recursive: true});
  await prefix.regAdd('HKLM\\SOFTWARE\\NoSpamProxy\\Components', 'Intranet Role', nspVersion);
}, 900_000);

afterAll(async () => {
  prefix?.destroy();
  await world?.stop();
});

// Each case starts Windows programs under Wine, a second or more each on a busy machine.
describe('nsp-console.exe under Wine', {timeout: 300_000}, () => {
  it('ships as a ZIP with the exe, the README and the licences of what it bundles; the exe carries no stale signature', () => {
    const names = execFileSync('unzip', ['-Z1', zipPath], {encoding: 'utf8'}).split('\n').filter(Boolean);
    expect(names).toEqual(['nsp-console.exe', 'README.md', 'THIRD-PARTY-LICENSES.txt']);
    const licences = execFileSync('unzip', ['-p', zipPath, 'THIRD-PARTY-LICENSES.txt'], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
    for (const bundled of ['Node.js 20.20.2', 'ink 6.8.0', 'react 19.2.', 'ldapts 8.', 'yauzl 3.', 'execa 9.6.0']) expect(licences).toContain(bundled);
    const exeBytes = readFileSync(prefix.linuxPath(exe));
    const entry = securityDirectoryOffset(exeBytes);
    expect([exeBytes.readUInt32LE(entry), exeBytes.readUInt32LE(entry + 4)]).toEqual([0, 0]);
  });

  it('prints its version', async () => {
    const result = await nsp(['--version']);
    const {version} = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
    expect(result).toMatchObject({exitCode: 0, stdout: `${version}\n`});
  });

  it('finds the NoSpamProxy installation (not the demo) and reads its version from the registry', async () => {
    const result = await nsp(['info', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const info = JSON.parse(result.stdout);
    expect(info).toMatchObject({root: dataRoot, isDemo: false, nspVersion});
    expect(info.stateDir).toMatch(/^C:\\users\\[^\\]+\\AppData\\Local\\nsp-console$/i);
    expect(info.files.every((file: {exists: boolean}) => file.exists)).toBe(true);
  });

  it('keeps its program files in a versioned folder under %LOCALAPPDATA% and repairs a changed file', async () => {
    const appRoot = join(prefix.dir, 'drive_c', 'users', readdirSync(join(prefix.dir, 'drive_c', 'users')).find(name => existsSync(join(prefix.dir, 'drive_c', 'users', name, 'AppData', 'Local', 'nsp-console')))!, 'AppData', 'Local', 'nsp-console', 'app');
    const folders = readdirSync(appRoot);
    expect(folders).toHaveLength(1);
    expect(folders[0]).toMatch(/^\d+\.\d+\.\d+-[0-9a-f]{16}$/);
    const cli = join(appRoot, folders[0]!, 'dist', 'cli.js');
    const original = readFileSync(cli);
    writeFileSync(cli, 'throw new Error("tampered");\n');
    const result = await nsp(['--version']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(cli).equals(original)).toBe(true);
  });

  it('sets, disables and restores the CYREN proxy in CRLF files, restarting the services found by their en-dash names', async () => {
    standIns.setServices({
      ctasd: {DisplayName: `NoSpamProxy ${enDash} CYREN Service`, Status: 'Running'},
      ctipd: {DisplayName: `NoSpamProxy ${enDash} CYREN IP Reputation Service`, Status: 'Running'},
      ctwsd: {DisplayName: `NoSpamProxy ${enDash} CYREN URL Categorization Service`, Status: 'Stopped'},
    });
    const before = readFileSync(linuxData('CYREN\\ctasd.conf'));
    const set = await nsp(['proxy', 'set', '--server', 'proxy.example.test', '--port', '3128', '--yes']);
    expect(set.exitCode, set.stdout + set.stderr).toBe(0);
    const written = readFileSync(linuxData('CYREN\\ctasd.conf'), 'latin1');
    expect(written).toMatch(/proxy\.example\.test/);
    // Every line break stays CRLF; no bare LF crept in.
    expect(written.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(Object.values(standIns.services()).map(service => service.Status)).toEqual(['Running', 'Running', 'Running']);
    const lookups = (await standIns.calls()).filter(call => call.program === 'powershell' && call.env.NSP_SERVICE_DISPLAY_PATTERN);
    expect(lookups.length).toBeGreaterThan(0);

    const disable = await nsp(['proxy', 'disable', '--no-restart', '--yes']);
    expect(disable.exitCode, disable.stdout + disable.stderr).toBe(0);
    const disabled = readFileSync(linuxData('CYREN\\ctasd.conf'), 'latin1');
    expect(disabled).not.toBe(written);
    expect(disabled.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);

    const list = await nsp(['proxy', 'restore', '--list', '--json']);
    expect(list.exitCode, list.stderr).toBe(0);
    const restore = await nsp(['proxy', 'restore', '--latest', '--no-restart', '--yes']);
    expect(restore.exitCode, restore.stdout + restore.stderr).toBe(0);
    // The latest backup set is the one taken before disable: the proxy is back, byte for byte.
    expect(readFileSync(linuxData('CYREN\\ctasd.conf'), 'latin1')).toBe(written);
    expect(before.equals(readFileSync(linuxData('CYREN\\ctasd.conf')))).toBe(false);
  });

  it('switches the TCP proxy tunnel on and off in Gateway Role.config, restarting the gateway role service', async () => {
    standIns.setServices({NetatworkMailGatewayGatewayRole: {DisplayName: 'NoSpamProxy Gateway Role', Status: 'Running'}});
    const config = linuxData('Configuration\\Gateway Role.config');
    const before = readFileSync(config, 'latin1');
    const enable = await nsp(['recipe', 'tcp-tunnel', 'enable', '--yes']);
    expect(enable.exitCode, enable.stdout + enable.stderr).toBe(0);
    const enabled = readFileSync(config, 'latin1');
    expect(enabled).toMatch(/isProxyTunnelEnabled="true"/);
    expect(enabled.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const status = await nsp(['recipe', 'tcp-tunnel', 'status', '--json']);
    expect(status.exitCode, status.stderr).toBe(0);
    const serviceCalls = (await standIns.calls()).filter(call => call.env.NSP_SERVICE_NAME === 'NetatworkMailGatewayGatewayRole').map(call => /Stop-Service|Start-Service/.exec(call.script)?.[0]).filter(Boolean);
    expect(serviceCalls).toEqual(['Stop-Service', 'Start-Service']);
    expect(standIns.services().NetatworkMailGatewayGatewayRole!.Status).toBe('Running');

    const disable = await nsp(['recipe', 'tcp-tunnel', 'disable', '--no-restart', '--yes']);
    expect(disable.exitCode, disable.stdout + disable.stderr).toBe(0);
    const disabled = readFileSync(config, 'latin1');
    expect(disabled).toMatch(/isProxyTunnelEnabled="false"/);
    expect(disabled.replace(/isProxyTunnelEnabled="false"/, 'isProxyTunnelEnabled="true"')).toBe(enabled);
    expect(before).not.toBe(enabled);
  });

  it('checks the WebPortal registry values (KB926642, KB951016) written and removed with reg.exe', async () => {
    const values = {
      names: {key: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\MSV1_0', name: 'BackConnectionHostNames', type: 'REG_MULTI_SZ', data: 'portal.corp.test\\0gw01'},
      strict: {key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters', name: 'DisableStrictNameChecking', type: 'REG_DWORD', data: '1'},
      policy: {key: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System', name: 'LocalAccountTokenFilterPolicy', type: 'REG_DWORD', data: '1'},
    };
    type Value = (typeof values)[keyof typeof values];
    const reg = async (args: string[]) => {
      const result = await prefix.runProgram(['reg', ...args, '/reg:64']);
      expect(result.exitCode, `reg ${args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(0);
    };
    const write = (value: Value, type = value.type, data = value.data) => reg(['add', value.key, '/v', value.name, '/t', type, '/d', data, '/f']);
    const remove = (value: Value) => reg(['delete', value.key, '/v', value.name, '/f']);
    // portal.corp.test is an alias (not this computer's name): KB926642 then needs DisableStrictNameChecking = 1 too.
    const check = async () => {
      const result = await nsp(['recipe', 'webportal-check', '--scenario', 'both', '--host-names', 'portal.corp.test', '--json']);
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout);
      // Every value was read by reg.exe: present, or absent, never unreadable.
      expect(report.values.map((value: {error: unknown}) => value.error)).toEqual([null, null, null, null]);
      return {exitCode: result.exitCode, report, problems: report.findings.filter((finding: {status: string}) => finding.status !== 'ok').map((finding: {message: string}) => finding.message)};
    };

    // A fresh Windows: nothing set, each needed value reported missing.
    const empty = await check();
    expect(empty.exitCode).toBe(1);
    expect(empty.report.ok).toBe(false);
    expect(empty.problems).toEqual([
      'BackConnectionHostNames is not set (and DisableLoopbackCheck is not 1).',
      expect.stringMatching(/^DisableStrictNameChecking is not set; it must be 1 for the alias name portal\.corp\.test /),
      'LocalAccountTokenFilterPolicy is not set; it must be 1.',
    ]);

    for (const value of Object.values(values)) await write(value);
    const complete = await check();
    expect(complete.problems).toEqual([]);
    expect(complete).toMatchObject({exitCode: 0, report: {ok: true}});
    const names = complete.report.values.find((value: {name: string}) => value.name === 'BackConnectionHostNames');
    expect(names).toMatchObject({present: true, type: 'REG_MULTI_SZ', data: ['portal.corp.test', 'gw01']});

    // One value missing or wrong at a time: that one is reported, the others stay ok.
    const faults: {name: string; apply: () => Promise<void>; problem: string | RegExp}[] = [
      {name: 'BackConnectionHostNames removed', apply: () => remove(values.names), problem: 'BackConnectionHostNames is not set (and DisableLoopbackCheck is not 1).'},
      {name: 'BackConnectionHostNames without the host name', apply: () => write(values.names, 'REG_MULTI_SZ', 'gw01'), problem: 'BackConnectionHostNames lacks portal.corp.test.'},
      {name: 'BackConnectionHostNames as a plain string', apply: () => write(values.names, 'REG_SZ', 'portal.corp.test'), problem: 'BackConnectionHostNames exists as REG_SZ; it must be a multi-string (REG_MULTI_SZ).'},
      {name: 'DisableStrictNameChecking 0', apply: () => write(values.strict, 'REG_DWORD', '0'), problem: /^DisableStrictNameChecking is 0x0; it must be 1 for the alias name portal\.corp\.test /},
      {name: 'LocalAccountTokenFilterPolicy removed', apply: () => remove(values.policy), problem: 'LocalAccountTokenFilterPolicy is not set; it must be 1.'},
    ];
    for (const fault of faults) {
      await fault.apply();
      const result = await check();
      expect({fault: fault.name, exitCode: result.exitCode, problems: result.problems}).toEqual({fault: fault.name, exitCode: 1, problems: [typeof fault.problem === 'string' ? fault.problem : expect.stringMatching(fault.problem)]});
      for (const value of Object.values(values)) await write(value);
    }
  });

  it('health reads the NoSpamProxy version with reg.exe and the event log with wevtutil; a missing version is reported', async () => {
    type Line = {id: string; status: string; text: string; next?: string};
    const health = async () => {
      // A generous probe deadline: every Windows program under Wine takes a second or more to start.
      const result = await nsp(['health', '--json', '--timeout', '60000'], {timeoutMs: 240_000});
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout) as {attention: boolean; sections: {id: string; lines: Line[]}[]};
      expect(result.exitCode).toBe(report.attention ? 1 : 0);
      const section = (id: string) => report.sections.find(entry => entry.id === id)!.lines;
      return {report, section};
    };
    const present = await health();
    expect(present.section('version')).toEqual([{id: 'version', status: 'ok', text: `NoSpamProxy ${nspVersion}`}]);
    // The stand-in wevtutil's two events (a warning and an error), counted and listed.
    const events = present.section('events');
    expect(events[0]!.text).toMatch(/^2 events in the last 24 h \(1 error, 1 warning\)/);
    expect(events.map(line => line.text).join('\n')).toMatch(/Error NoSpamProxy Intranet Role : stand-in error/);

    const removed = await prefix.runProgram(['reg', 'delete', 'HKLM\\SOFTWARE\\NoSpamProxy\\Components', '/v', 'Intranet Role', '/f', '/reg:64']);
    expect(removed.exitCode, removed.stdout + removed.stderr).toBe(0);
    try {
      const missing = await health();
      expect(missing.section('version')).toEqual([
        {id: 'version', status: 'unknown', text: 'NoSpamProxy version unknown: HKLM\\SOFTWARE\\NoSpamProxy\\Components "Intranet Role" is not in the registry.', next: 'Check that NoSpamProxy is installed here (HKLM\\SOFTWARE\\NoSpamProxy\\Components).'},
      ]);
    } finally {
      await prefix.regAdd('HKLM\\SOFTWARE\\NoSpamProxy\\Components', 'Intranet Role', nspVersion);
    }
  });

  it('writes a support bundle with Windows paths turned into ZIP names, the event log through wevtutil, and verifies it', async () => {
    prefix.mkdir('C:\\nsp-test\\out');
    const zip = 'C:\\nsp-test\\out\\support.zip';
    const create = await nsp(['bundle', 'create', '--out', zip, '--description', 'mail to partner stuck', '--since', '24h', '--json'], {timeoutMs: 300_000});
    expect(create.exitCode, create.stdout + create.stderr).toBe(0);
    expect(JSON.parse(create.stdout).path).toBe(zip);
    const names = execFileSync('unzip', ['-Z1', prefix.linuxPath(zip)], {encoding: 'utf8'}).split('\n').filter(Boolean);
    expect(names).toContain('manifest.json');
    expect(names.some(name => /ctasd\.conf$/.test(name))).toBe(true);
    for (const name of names) {
      expect(name).toMatch(/^[\x20-\x7e]+$/);
      expect(name).not.toMatch(/\\|^[A-Za-z]:|^\/|(^|\/)\.\.(\/|$)/);
    }
    // The XPath query reached wevtutil as one argument, spaces and brackets intact.
    const query = (await standIns.calls()).find(call => call.program === 'wevtutil' && call.argv[0] === 'qe');
    expect(query?.argv).toHaveLength(5);
    expect(query?.argv[2]).toMatch(/^\/q:\*\[System\[\(Level=1 or Level=2 or Level=3\) and TimeCreated\[@SystemTime>='.+' and @SystemTime<='.+'\]\]\]$/);

    const verify = await nsp(['bundle', 'verify', zip, '--json']);
    expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ok: true, nspVersion});
  });

  it('looks certificates up in a directory on 127.0.0.1, one address and a file of them', async () => {
    world = await startTestWorld();
    const catalogue = 'C:\\nsp-test\\keyservers.json';
    writeFileSync(prefix.linuxPath(catalogue), JSON.stringify([world.directories.plain]));
    const one = await nsp(['keyserver', 'lookup', `alice@${domain}`, '--keyservers', catalogue, '--json']);
    expect(one.exitCode, one.stdout + one.stderr).toBe(0);
    expect(one.stdout).toContain('Alice Example');

    const addresses = 'C:\\nsp-test\\addresses.txt';
    writeFileSync(prefix.linuxPath(addresses), `alice@${domain}\r\nnobody@${domain}\r\n`);
    const bulk = await nsp(['keyserver', 'lookup', '--file', addresses, '--keyservers', catalogue, '--json']);
    expect(bulk.exitCode, bulk.stdout + bulk.stderr).toBe(0);
    const rows = bulk.stdout.split(/\r?\n/).filter(Boolean).map(line => JSON.parse(line));
    expect(rows.map(row => row.address)).toEqual([`alice@${domain}`, `nobody@${domain}`]);
    expect(JSON.stringify(rows[0])).toContain('Alice Example');
  });

  it('runs a log flow whose script role runs .cmd files through cmd.exe, and collects the window', async () => {
    const {stateDir, logs} = logflowState('flow', '2s');
    const run = await nsp(['logflow', 'run', '--role', 'Gateway 1', '--yes', '--state-dir', stateDir], {timeoutMs: 300_000});
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const log = readFileSync(prefix.linuxPath(`${logs}\\gateway.log`), 'latin1').split('\r\n').filter(Boolean);
    expect(log).toEqual([`on "Gateway 1" "${logs}" "AntiSpam,Mailvalidation,DNS,ProxySystem"`, `off "Gateway 1" "${logs}"`]);
    const runs = readdirSync(prefix.linuxPath(`${stateDir}\\logflow\\runs`));
    expect(runs).toHaveLength(1);
    const record = readJson(join(prefix.linuxPath(`${stateDir}\\logflow\\runs`), runs[0]!));
    expect(existsSync(prefix.linuxPath(record.zipPath))).toBe(true);
  });

  it('the exe started as its own watchdog turns logging off after the console is killed', async () => {
    const {stateDir, logs} = logflowState('watchdog', '20s');
    const journalPath = prefix.linuxPath(`${stateDir}\\logflow\\journal.json`);
    const console = nsp(['logflow', 'run', '--role', 'Gateway 1', '--yes', '--state-dir', stateDir], {timeoutMs: 300_000});
    const counting = await until('the countdown', () => {
      const journal = readJson(journalPath);
      return journal?.state?.phase === 'countingDown' && journal.watchdogPid ? journal : undefined;
    });
    const kill = await prefix.runProgram(['taskkill', '/F', '/PID', String(counting.ownerPid)]);
    expect(kill.exitCode, kill.stdout + kill.stderr).toBe(0);
    // The console is gone before its countdown ended (what exit code Wine's taskkill leaves is not the point).
    await console;
    expect(readJson(journalPath).state.phase).toBe('countingDown');
    const ended = await until('the watchdog to turn logging off', () => {
      const journal = readJson(journalPath);
      return journal && journal.state.phase !== 'countingDown' && !['turningOff', 'verifyingOff'].includes(journal.state.phase) ? journal : undefined;
    });
    expect(ended.state.phase).toBe('stopped');
    expect(ended.history.at(-1).by).toBe('watchdog');
    expect(readFileSync(prefix.linuxPath(`${logs}\\gateway.log`), 'latin1')).toContain(`off "Gateway 1" "${logs}"`);
    const watchdogLog = readFileSync(prefix.linuxPath(`${stateDir}\\logflow\\watchdog-${counting.state.runId}.log`), 'utf8');
    expect(watchdogLog).toMatch(/turning logging off/);
  });

  it('runs interactively in a terminal: menu, keys, a burst, a screen, and quit gives the terminal back', async () => {
    const env = {...prefix.env, ...standIns.env};
    const session = new TmuxSession(`${shellQuote(prefix.wine)} ${shellQuote(exe)}`, {columns: 100, rows: 30, env: Object.fromEntries(['WINEPREFIX', 'WINEDEBUG', 'WINEDLLOVERRIDES', 'WINEARCH', 'WINEPATH', 'NSP_STANDIN_DIR'].map(key => [key, env[key]!])), waitTimeoutMs: 120_000});
    try {
      await session.waitFor(screen => screen.includes('What do you want to do?'));
      // The version arrives from the registry (reg.exe) after the first frame.
      await session.waitFor(screen => screen.includes(nspVersion));
      // Keys (Down, Up) then a burst of five j: the sixth entry, Settings & about, and its screen opens.
      session.sendKeys('Down', 'Up');
      session.sendBurst('jjjjj');
      session.sendKeys('Enter');
      await session.waitFor(screen => screen.includes('ASCII mode:') && screen.includes('Data root: C:\\ProgramData\\Net at Work Mail Gateway'));
      // Back through the screen's own entry, the last of five: a lone Esc waits in Wine's console for the next key (docs/windows.md).
      session.sendKeys('j', 'j', 'j', 'j');
      await session.waitFor(screen => /[>❯] 5 Back/.test(screen));
      session.sendKeys('Enter');
      await session.waitFor(screen => screen.includes('What do you want to do?') && !screen.includes('ASCII mode:'));
      session.sendKeys('q');
      await session.waitFor(screen => /\[exit 0\]/.test(screen));
      // Cooked mode again: the shell reads a line and runs it.
      session.sendKeys('echo restored-$((40+2))', 'Enter');
      await session.waitFor(screen => screen.includes('restored-42'));
    } finally {
      session.kill();
    }
  });
});
