import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readJournal, writeJournal, type Journal} from '../../source/logflow/journal.js';
import {flowReducer, initialFlowState, type FlowEvent} from '../../source/logflow/machine.js';
import {defaultRoles, expandCommand, pickRoles, validateRoles} from '../../source/logflow/roles.js';
import {statusFromJournal} from '../../source/logflow/status.js';
import {timingsFromSettings} from '../../source/logflow/options.js';
import {watchdogDecision} from '../../source/logflow/watchdog.js';
import {contextFrom} from '../../source/context.js';

const t0 = Date.parse('2026-11-27T10:00:00Z');

function journalAt(events: FlowEvent[], at = t0): Journal {
  let state = initialFlowState('run-1', 60_000, at, ['DNS']);
  for (const event of events) state = flowReducer(state, event, at);
  return {version: 1, ownerPid: 999_999, watchdogGraceMs: 30_000, commandTimeoutMs: 1000, state, history: [{at: new Date(at).toISOString(), event: 'REPRODUCED', from: 'reproducing', to: state.phase, by: 'console'}]};
}

const role = {name: 'GW', driver: 'script' as const, location: '/l', enable: ['on'], disable: ['off']};
const counting: FlowEvent[] = [
  {type: 'ROLES_CHOSEN', roles: [role]},
  {type: 'SETTINGS_CONFIRMED', protocols: ['DNS'], roles: [role], onSnapshot: {}},
  {type: 'ROLE_TURNED_ON', role: 'GW'},
  {type: 'ACTIVITY_CONFIRMED'},
  {type: 'REPRODUCED'},
];

describe('watchdog decision', () => {
  it('waits until deadline + grace, then turns off', () => {
    const journal = journalAt(counting);
    const deadline = Date.parse(journal.state.deadline!);
    expect(watchdogDecision(journal, 'run-1', deadline + 29_999, true)).toEqual({action: 'wait', actAt: deadline + 30_000});
    expect(watchdogDecision(journal, 'run-1', deadline + 30_000, true).action).toBe('turnOff');
    expect(watchdogDecision(journal, 'run-1', deadline + 30_000, false).action).toBe('turnOff');
  });

  it('exits when the run ended, logging is off, or the journal belongs to another run', () => {
    expect(watchdogDecision(undefined, 'run-1', t0, false).action).toBe('exit');
    expect(watchdogDecision(journalAt(counting), 'run-2', t0, false).action).toBe('exit');
    const off = journalAt([...counting, {type: 'ABORT'}, {type: 'ROLE_TURNED_OFF', role: 'GW'}]);
    expect(watchdogDecision(off, 'run-1', t0 + 10 ** 9, true).action).toBe('exit');
  });

  it('without a deadline: waits while the console lives, acts after wait + grace once it died', () => {
    const early = journalAt(counting.slice(0, 3));
    expect(watchdogDecision(early, 'run-1', t0 + 10 ** 9, true)).toEqual({action: 'wait'});
    expect(watchdogDecision(early, 'run-1', t0 + 60_000 + 29_000, false).action).toBe('wait');
    expect(watchdogDecision(early, 'run-1', t0 + 60_000 + 30_000, false).action).toBe('turnOff');
  });

  it('leaves a live console alone while it is turning off', () => {
    const turningOff = journalAt([...counting, {type: 'ABORT'}]);
    expect(watchdogDecision(turningOff, 'run-1', t0 + 10 ** 9, true)).toEqual({action: 'wait'});
    expect(watchdogDecision(turningOff, 'run-1', t0 + 10 ** 9, false).action).toBe('turnOff');
  });
});

describe('journal and status', () => {
  it('round-trips atomically and reports status in the documented shape', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'logflow-journal-'));
    expect(await readJournal(stateDir)).toBeUndefined();
    const journal = journalAt(counting);
    await writeJournal(stateDir, journal);
    const read = (await readJournal(stateDir))!;
    expect(read).toEqual(journal);
    expect(statusFromJournal(read)).toEqual({loggingOn: true, state: 'countingDown', roles: [{name: 'GW', loggingOn: true}], since: journal.state.startedAt, deadline: journal.state.deadline});
    writeFileSync(join(stateDir, 'logflow', 'journal.json'), '{"half":');
    await expect(readJournal(stateDir)).rejects.toThrow(/damaged/);
  });
});

describe('roles and settings', () => {
  it('validates every field with a clear message', () => {
    expect(() => validateRoles({})).toThrow(/must be an array/);
    expect(() => validateRoles([{name: '', driver: 'guided', location: 'x'}])).toThrow(/"name"/);
    expect(() => validateRoles([{name: 'a', driver: 'magic', location: 'x'}])).toThrow(/"driver"/);
    expect(() => validateRoles([{name: 'a', driver: 'guided'}])).toThrow(/"location"/);
    expect(() => validateRoles([{name: 'a', driver: 'script', location: 'x', enable: 'pwsh on.ps1', disable: ['off']}])).toThrow(/array of strings/);
    expect(() => validateRoles([{name: 'a', driver: 'guided', location: 'x'}, {name: 'A', driver: 'guided', location: 'y'}])).toThrow(/used twice/);
    expect(() => pickRoles(validateRoles([{name: 'GW 1', driver: 'guided', location: 'x'}]), ['gw 2'])).toThrow(/Unknown role "gw 2". Known roles: "GW 1"/);
  });

  it('expands placeholders inside arguments, each argument stays one argument', () => {
    expect(expandCommand(['pwsh', '-File', 'on.ps1', '{role}', '-Path={location}', '{protocols}'], {role: 'Gate way; rm -rf /', location: 'D:\\NSP Logs', protocols: ['AntiSpam', 'DNS']})).toEqual([
      'pwsh', '-File', 'on.ps1', 'Gate way; rm -rf /', '-Path=D:\\NSP Logs', 'AntiSpam,DNS',
    ]);
  });

  it('defaults: a guided role named after this gateway, or the simulated gateway in demo mode', () => {
    expect(defaultRoles({root: '/r', isDemo: false, hostName: 'mx1'})).toEqual([{name: 'Gateway Role mx1', driver: 'guided', location: join('/r', 'Logs')}]);
    const demo = defaultRoles({root: '/r', isDemo: true, hostName: 'mx1'})[0]!;
    expect(demo.driver).toBe('script');
    expect(demo.enable).toContain(join('/r', 'Tools', 'sim-gateway.mjs'));
  });

  it('timings from settings "logflow"', () => {
    expect(timingsFromSettings({logflow: {wait: '30s', watchdogGrace: '10s'}})).toMatchObject({waitMs: 30_000, watchdogGraceMs: 10_000});
    expect(() => timingsFromSettings({logflow: {watchdogGrace: '2m'}})).toThrow(/at most 1m/);
    expect(() => timingsFromSettings({logflow: {wait: 'later'}})).toThrow(/not a duration/);
  });
});

describe('start-up screen', () => {
  it('is the recovery screen when the journal says on and its console is gone, nothing otherwise', async () => {
    const {startupScreen} = await import('../../components/shell/startup.js');
    const stateDir = mkdtempSync(join(tmpdir(), 'logflow-startup-'));
    const context = contextFrom({root: '/r', isDemo: false, stateDir, hostName: 'h', platform: 'linux' as const, ascii: true, color: false, env: {}});
    expect(await startupScreen(context)).toBeUndefined();
    const {execFileSync} = await import('node:child_process');
    const dead = Number(execFileSync(process.execPath, ['-e', 'console.log(process.pid)'], {encoding: 'utf8'}).trim());
    await writeJournal(stateDir, {...journalAt(counting), ownerPid: dead});
    expect((await startupScreen(context))?.label).toBe('Troubleshooting logs: recovery');
    await writeJournal(stateDir, {...journalAt([...counting, {type: 'ABORT'}, {type: 'ROLE_TURNED_OFF', role: 'GW'}, {type: 'OFF_VERIFIED', offSnapshot: {}}]), ownerPid: dead});
    expect(await startupScreen(context)).toBeUndefined();
    await writeJournal(stateDir, {...journalAt([...counting, {type: 'FINISH_REQUESTED'}, {type: 'FINISH_CONFIRMED'}, {type: 'ROLE_TURNED_OFF', role: 'GW'}, {type: 'OFF_VERIFIED', offSnapshot: {}}]), ownerPid: dead});
    expect((await startupScreen(context))?.label).toBe('Troubleshooting logs: recovery');
    writeFileSync(join(stateDir, 'logflow', 'journal.json'), 'garbage');
    expect((await startupScreen(context))?.label).toContain('journal is damaged');
  });
});

describe('owner liveness: pid plus heartbeat', () => {
  it('a live pid without a fresh heartbeat of this run is not the owner (pid reuse after a reboot)', async () => {
    const {spawn} = await import('node:child_process');
    const {isOwnerAlive, writeHeartbeat, heartbeatStaleMs} = await import('../../source/logflow/journal.js');
    const stateDir = mkdtempSync(join(tmpdir(), 'logflow-owner-'));
    const other = spawn('sleep', ['30']);
    try {
      const journal = {...journalAt(counting), ownerPid: other.pid!};
      expect(isOwnerAlive(stateDir, journal)).toBe(false);
      await writeHeartbeat(stateDir, {pid: other.pid!, runId: 'run-1', at: new Date().toISOString()});
      expect(isOwnerAlive(stateDir, journal)).toBe(true);
      expect(isOwnerAlive(stateDir, journal, Date.now() + heartbeatStaleMs + 1)).toBe(false);
      await writeHeartbeat(stateDir, {pid: other.pid!, runId: 'another-run', at: new Date().toISOString()});
      expect(isOwnerAlive(stateDir, journal)).toBe(false);
      expect(isOwnerAlive(stateDir, {...journal, ownerPid: process.pid})).toBe(true);
    } finally {
      other.kill('SIGKILL');
    }
  });
});
