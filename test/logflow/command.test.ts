import {chmodSync, readFileSync, rmSync, writeFileSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {readJournal} from '../../source/logflow/journal.js';
import {listLogflowRuns} from '../../source/logflow/runs.js';
import {resetShutdownForTests} from '../../source/system/shutdown.js';
import {makeWorkspace, runCli, simRole, simRunning} from './helpers.js';
import {readWithYauzl} from '../helpers/zip.js';

afterEach(() => resetShutdownForTests());

describe('logflow run: the whole flow for script roles', () => {
  it('collects exactly the window: new files whole, old files only the appended bytes', async () => {
    const ws = makeWorkspace();
    const logs2 = join(ws.base, 'logs2');
    const second = simRole('Gateway 2', logs2, join(ws.base, 'sim2.pid'), 100, 'gw2.log');
    writeFileSync(join(ws.stateDir, 'settings.json'), JSON.stringify({roles: [ws.role, second], logflow: {verifyOff: '1s', quietWarning: '2s', commandTimeout: '10s'}}));
    mkdirSync(ws.logs, {recursive: true});
    const before = 'line written before logging went on\n'.repeat(20);
    writeFileSync(join(ws.logs, 'gateway.log'), before);
    writeFileSync(join(ws.logs, 'untouched.log'), 'not part of the window\n');
    const result = await runCli(['--state-dir', ws.stateDir, 'logflow', 'run', '--role', 'gateway 1', '--role', 'Gateway 2', '--protocols', 'dns,AntiSpam', '--wait', '2s', '--yes'], ws.root);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('[6/8]');
    expect(simRunning(ws.pidFile)).toBe(false);
    const runs = await listLogflowRuns(ws.stateDir);
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.zipPath).toBe(join(ws.stateDir, 'output', `logflow-${run.id}.zip`));
    expect(run.roles).toEqual(['Gateway 1', 'Gateway 2']);
    expect(run.protocols).toEqual(['AntiSpam', 'DNS']);
    expect(Date.parse(run.endedAt)).toBeGreaterThan(Date.parse(run.startedAt));
    const zip = await readWithYauzl(run.zipPath);
    const whole1 = readFileSync(join(ws.logs, 'gateway.log'));
    const whole2 = readFileSync(join(logs2, 'gw2.log'));
    expect([...zip.keys()].sort()).toEqual(['Gateway_1/gateway.excerpt.log', 'Gateway_2/gw2.log', 'manifest.json']);
    // The gateway's own file is unchanged before the window, and the excerpt is exactly what came after.
    expect(whole1.subarray(0, before.length).toString()).toBe(before);
    expect(zip.get('Gateway_1/gateway.excerpt.log')!.equals(whole1.subarray(before.length))).toBe(true);
    expect(zip.get('Gateway_2/gw2.log')!.equals(whole2)).toBe(true);
    expect(zip.get('Gateway_1/gateway.excerpt.log')!.toString()).toMatch(/\[(AntiSpam|DNS)\] session/);
    const manifest = JSON.parse(zip.get('manifest.json')!.toString());
    expect(manifest.protocols).toEqual(['AntiSpam', 'DNS']);
    expect(manifest.files[0]).toMatchObject({role: 'Gateway 1', start: before.length, end: whole1.length, excerpt: true});
    const {createHash} = await import('node:crypto');
    expect(manifest.files[0].sha256).toBe(createHash('sha256').update(whole1.subarray(before.length)).digest('hex'));
    const status = await runCli(['--state-dir', ws.stateDir, 'logflow', 'status', '--json'], ws.root);
    expect(JSON.parse(status.out)).toEqual({loggingOn: false, state: 'finished', roles: [{name: 'Gateway 1', loggingOn: false}, {name: 'Gateway 2', loggingOn: false}], since: null, deadline: null});
  });
});

describe('logflow run: bad input', () => {
  it('unknown role: usage error naming the known roles, nothing started', async () => {
    const ws = makeWorkspace();
    const result = await runCli(['--state-dir', ws.stateDir, 'logflow', 'run', '--role', 'Nope', '--yes'], ws.root);
    expect(result.code).toBe(2);
    expect(result.err).toContain('Unknown role "Nope"');
    expect(result.err).toContain('"Gateway 1"');
    expect(await readJournal(ws.stateDir)).toBeUndefined();
  });

  it('guided roles are refused with a clear message', async () => {
    const ws = makeWorkspace({roles: [{name: 'GW', driver: 'guided', location: '/tmp'}]});
    const result = await runCli(['--state-dir', ws.stateDir, 'logflow', 'run', '--role', 'GW', '--yes'], ws.root);
    expect(result.code).toBe(2);
    expect(result.err).toContain('guided role');
  });

  it('bad settings, protocols and durations are usage errors', async () => {
    const ws = makeWorkspace({roles: [{name: 'GW', driver: 'script', location: '/tmp'}]});
    const broken = await runCli(['--state-dir', ws.stateDir, 'logflow', 'run', '--role', 'GW', '--yes'], ws.root);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain('needs both "enable" and "disable"');
    const ok = makeWorkspace();
    expect((await runCli(['--state-dir', ok.stateDir, 'logflow', 'run', '--role', 'Gateway 1', '--protocols', 'SMTP', '--yes'], ok.root)).err).toContain('Unknown protocol "SMTP"');
    expect((await runCli(['--state-dir', ok.stateDir, 'logflow', 'run', '--role', 'Gateway 1', '--wait', 'soon', '--yes'], ok.root)).code).toBe(2);
    expect((await runCli(['--state-dir', ok.stateDir, 'logflow', 'run', '--role', 'Gateway 1'], ok.root)).err).toContain('--yes');
    expect((await runCli(['--state-dir', ok.stateDir, 'logflow', 'frobnicate'], ok.root)).code).toBe(2);
  });

  it('an unusable log location is refused before logging goes on', async () => {
    const ws = makeWorkspace();
    const file = join(ws.base, 'a-file');
    writeFileSync(file, 'x');
    const below = await runCli(['--state-dir', ws.stateDir, 'logflow', 'run', '--role', 'Gateway 1', '--location', join(file, 'logs'), '--yes'], ws.root);
    expect(below.code).toBe(2);
    expect(below.err).toMatch(/log location .* cannot be (read|created)/);
    const isFile = await runCli(['--state-dir', ws.stateDir, 'logflow', 'run', '--role', 'Gateway 1', '--location', file, '--yes'], ws.root);
    expect(isFile.err).toContain('is a file, not a folder');
    expect(simRunning(ws.pidFile)).toBe(false);
    // An existing folder the gateway could not write to: a read-only folder (root may write anywhere,
    // but not into /proc/sys).
    let locked = '/proc/sys';
    if (process.getuid?.() !== 0) {
      locked = join(ws.base, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o555);
    }
    const unwritable = await runCli(['--state-dir', ws.stateDir, 'logflow', 'run', '--role', 'Gateway 1', '--location', locked, '--yes'], ws.root);
    expect(unwritable.code).toBe(2);
    expect(unwritable.err).toContain(`the log location ${locked} is not writable`);
    expect(simRunning(ws.pidFile)).toBe(false);
    // Refused before the run lock was taken: nothing journaled, nothing switched.
    expect(await readJournal(ws.stateDir)).toBeUndefined();
  });

  it('durations are bounded (wait at most 24 h) and a relative --location is refused, exit 2 naming the option, nothing journaled', async () => {
    const ws = makeWorkspace();
    const wait = await runCli(['--state-dir', ws.stateDir, 'logflow', 'run', '--role', 'Gateway 1', '--wait', '9999999999h', '--yes'], ws.root);
    expect(wait).toMatchObject({code: 2});
    expect(wait.err.trim()).toBe('nsp-console: --wait: "9999999999h" is too long; at most 24h.');
    expect((await runCli(['--state-dir', ws.stateDir, 'logflow', 'run', '--role', 'Gateway 1', '--wait', '25h', '--yes'], ws.root)).code).toBe(2);
    const relative = await runCli(['--state-dir', ws.stateDir, 'logflow', 'run', '--role', 'Gateway 1', '--location', 'relative/dir', '--yes'], ws.root);
    expect(relative.code).toBe(2);
    expect(relative.err).toContain('--location relative/dir is not a full path');
    for (const [key, value] of <[string, string][]>[['wait', '9999999999h'], ['commandTimeout', '2h'], ['watchdogGrace', '2m'], ['verifyOff', '1h'], ['quietWarning', '2h']]) {
      writeFileSync(join(ws.stateDir, 'settings.json'), JSON.stringify({roles: [ws.role], logflow: {[key]: value}}));
      const result = await runCli(['--state-dir', ws.stateDir, 'logflow', 'run', '--role', 'Gateway 1', '--yes'], ws.root);
      expect(result.code, key).toBe(2);
      expect(result.err, key).toContain(`settings "logflow.${key}": "${value}" is too long`);
    }
    const since = await runCli(['--state-dir', ws.stateDir, 'bundle', 'create', '--since', '9999999999h'], ws.root);
    expect(since.code).toBe(2);
    expect(since.err).toContain('--since');
    expect(simRunning(ws.pidFile)).toBe(false);
    expect(await readJournal(ws.stateDir)).toBeUndefined();
  });

  it('a failing enable script: the role is turned off again, exit 3, the journal says off', async () => {
    const ws = makeWorkspace();
    const disableLog = join(ws.base, 'disabled.txt');
    const failing = {
      name: 'Failing',
      driver: 'script',
      location: ws.logs,
      enable: [process.execPath, '-e', 'console.error("cannot reach the gateway"); process.exit(4)', '{role}'],
      disable: [process.execPath, '-e', 'require("fs").appendFileSync(process.argv[1], process.argv[2] + "\\n")', disableLog, '{role}'],
    };
    writeFileSync(join(ws.stateDir, 'settings.json'), JSON.stringify({roles: [failing], logflow: {verifyOff: '1s'}}));
    const result = await runCli(['--state-dir', ws.stateDir, 'logflow', 'run', '--role', 'Failing', '--wait', '1s', '--yes'], ws.root);
    expect(result.code).toBe(3);
    expect(result.err).toContain('exit code 4: cannot reach the gateway');
    expect(readFileSync(disableLog, 'utf8')).toBe('Failing\n');
    const journal = (await readJournal(ws.stateDir))!;
    expect(journal.state.phase).toBe('failed');
    expect(journal.state.roles[0]!.logging).toBe('off');
    expect(await listLogflowRuns(ws.stateDir)).toEqual([]);
  });

  it('a hanging script is stopped after the time-out and treated as a failure', async () => {
    const ws = makeWorkspace();
    const hanging = {...ws.role, name: 'Hanging', enable: [process.execPath, '-e', 'setTimeout(() => {}, 600000)']};
    writeFileSync(join(ws.stateDir, 'settings.json'), JSON.stringify({roles: [hanging], logflow: {verifyOff: '1s', commandTimeout: '1s'}}));
    const result = await runCli(['--state-dir', ws.stateDir, 'logflow', 'run', '--role', 'Hanging', '--wait', '1s', '--yes'], ws.root);
    expect(result.code).toBe(3);
    expect(result.err).toContain('did not finish within 1 s');
    const journal = (await readJournal(ws.stateDir))!;
    expect(journal.state.roles[0]!.logging).toBe('off');
  });

  it('a log location that disappears during the countdown: a clear warning, logging still turned off, ZIP with the manifest', async () => {
    const ws = makeWorkspace();
    const pending = runCli(['--state-dir', ws.stateDir, 'logflow', 'run', '--role', 'Gateway 1', '--wait', '3s', '--yes'], ws.root);
    for (let tries = 0; tries < 200 && (await readJournal(ws.stateDir))?.state.phase !== 'countingDown'; tries++) await new Promise(resolve => setTimeout(resolve, 50));
    rmSync(ws.logs, {recursive: true, force: true});
    const result = await pending;
    expect(simRunning(ws.pidFile)).toBe(false);
    const journal = (await readJournal(ws.stateDir))!;
    expect(journal.state.roles[0]!.logging).toBe('off');
    expect(result.code).toBe(0);
    expect(result.out).toContain('WARNING Gateway 1: the log location is missing');
    const zip = await readWithYauzl(journal.state.zipPath!);
    const manifest = JSON.parse(zip.get('manifest.json')!.toString());
    expect(manifest.warnings.join(' ')).toMatch(/empty or gone|Nothing was written/);
  });
});

describe('logflow status and stop', () => {
  it('status without a journal; stop is idempotent', async () => {
    const ws = makeWorkspace();
    const status = await runCli(['--state-dir', ws.stateDir, 'logflow', 'status', '--json'], ws.root);
    expect(JSON.parse(status.out)).toEqual({loggingOn: false, state: 'none', roles: [], since: null, deadline: null});
    expect((await runCli(['--state-dir', ws.stateDir, 'logflow', 'stop'], ws.root)).code).toBe(0);
    expect((await runCli(['--state-dir', ws.stateDir, 'logflow', 'stop'], ws.root)).code).toBe(0);
  });
});

describe('logflow stop after a crash', () => {
  it('turns off script roles the journal says are on, reports guided ones (exit 1), then is idempotent', async () => {
    const {execFileSync} = await import('node:child_process');
    const {writeJournal} = await import('../../source/logflow/journal.js');
    const {flowReducer, initialFlowState} = await import('../../source/logflow/machine.js');
    const ws = makeWorkspace();
    const role = simRole('Gateway 1', ws.logs, ws.pidFile);
    const guided = {name: 'Guided GW', driver: 'guided' as const, location: ws.logs};
    execFileSync(role.enable[0]!, role.enable.slice(1).map(part => part.replace('{role}', 'Gateway 1').replace('{location}', ws.logs).replace('{protocols}', 'DNS')));
    expect(simRunning(ws.pidFile)).toBe(true);
    let state = initialFlowState('crashed', 60_000, Date.now(), ['DNS']);
    for (const event of [
      {type: 'ROLES_CHOSEN', roles: [role, guided]},
      {type: 'SETTINGS_CONFIRMED', protocols: ['DNS'], roles: [role, guided], onSnapshot: {}},
      {type: 'ROLE_TURNED_ON', role: 'Gateway 1'},
      {type: 'ROLE_TURNED_ON', role: 'Guided GW'},
    ] as never[]) state = flowReducer(state, event, Date.now());
    const dead = Number(execFileSync(process.execPath, ['-e', 'console.log(process.pid)'], {encoding: 'utf8'}).trim());
    await writeJournal(ws.stateDir, {version: 1, ownerPid: dead, watchdogGraceMs: 5000, commandTimeoutMs: 10_000, state, history: []});
    const before = await runCli(['--state-dir', ws.stateDir, 'logflow', 'status', '--json'], ws.root);
    expect(JSON.parse(before.out)).toMatchObject({loggingOn: true, state: 'verifyingOn', roles: [{name: 'Gateway 1', loggingOn: true}, {name: 'Guided GW', loggingOn: true}]});
    const first = await runCli(['--state-dir', ws.stateDir, 'logflow', 'stop'], ws.root);
    expect(first.code).toBe(1);
    expect(first.out).toContain('Gateway 1: logging off');
    expect(first.out).toContain('Guided GW: a guided role; turn logging off by hand');
    expect(first.out).toContain('disable logging');
    expect(simRunning(ws.pidFile)).toBe(false);
    const journal = (await readJournal(ws.stateDir))!;
    expect(journal.state.phase).toBe('stopped');
    expect(journal.state.roles.map(r => r.logging)).toEqual(['off', 'pendingManualOff']);
    const again = await runCli(['--state-dir', ws.stateDir, 'logflow', 'stop'], ws.root);
    expect(again.code).toBe(1);
    expect(simRunning(ws.pidFile)).toBe(false);
    const run = await runCli(['--state-dir', ws.stateDir, 'logflow', 'run', '--role', 'Gateway 1', '--yes'], ws.root);
    expect(run.code).toBe(3);
    expect(run.err).toContain('logflow stop');
  });
});
