import React from 'react';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {KeyRouter} from '../../components/input/key-router.js';
import {LayoutProvider} from '../../components/layout.js';
import {LogflowFlow} from '../../components/logflow/LogflowScreen.js';
import {Footer} from '../../components/shell/Footer.js';
import {type ConsoleContext, contextFrom} from '../../source/context.js';
import {readJournal} from '../../source/logflow/journal.js';
import {formatSize, logLocationWarnBytes} from '../../source/logflow/location-reach.js';
import {listLogflowRuns} from '../../source/logflow/runs.js';
import {runWatchdog} from '../../source/logflow/watchdog.js';
import {resetShutdownForTests, runShutdownHandlers} from '../../source/system/shutdown.js';
import {inAct, keys, press, renderScreen, waitForFrame, waitUntil, type Rendered} from '../helpers/ink.js';
import {execFileSync} from 'node:child_process';
import {writeJournal, type Journal} from '../../source/logflow/journal.js';
import {flowReducer, initialFlowState, type FlowEvent} from '../../source/logflow/machine.js';
import {makeWorkspace, simRole, simRunning} from './helpers.js';
import {readWithYauzl} from '../helpers/zip.js';
import {resetOutcomeForTests, sessionOutcome} from '../../source/outcome.js';

class FakeClock {
  time = Date.now();
  now = () => this.time;
  advance(ms: number) {
    this.time += ms;
  }
}

const rendered: Rendered[] = [];
afterEach(async () => {
  for (const instance of rendered.splice(0)) instance.unmount();
  await runShutdownHandlers('test cleanup');
  resetShutdownForTests();
  resetOutcomeForTests();
});

/** The real watchdog, in this process (it acknowledges like the detached one; the flow ends it). */
function inProcessWatchdog(stateDir: string, runId: string): number {
  void runWatchdog(stateDir, runId, () => {}, {pollMs: 50});
  return process.pid;
}

async function open(options: {ascii?: boolean; roles?: (logs: string) => unknown[]; prepare?: (ws: ReturnType<typeof makeWorkspace>) => Promise<void>; startWatchdog?: (stateDir: string, runId: string) => number | undefined; watchdogAckMs?: number} = {}) {
  const ws = makeWorkspace({logflow: {verifyOff: '300ms', quietWarning: '1s', wait: '5m'}, roles: options.roles});
  await options.prepare?.(ws);
  const clock = new FakeClock();
  const context: ConsoleContext = contextFrom({root: ws.root, isDemo: false, stateDir: ws.stateDir, hostName: 'test', platform: 'linux', ascii: options.ascii ?? true, color: false, env: process.env});
  let backs = 0;
  // The watchdog's acknowledgement is waited for in real time (an fsynced file): the console's own
  // 10 s, so a loaded machine cannot turn a run into "did not acknowledge"; only the test of a silent
  // watchdog shortens it.
  const controllerOptions = {clock, tickMs: 20, watchIntervalMs: 100, startWatchdog: options.startWatchdog ?? inProcessWatchdog, watchdogAckMs: options.watchdogAckMs ?? 10_000};
  const screen = await renderScreen(
    <LayoutProvider ascii={options.ascii ?? true} color={false}>
      <KeyRouter>
        <LogflowFlow context={context} back={() => backs++} setKeyHelp={() => {}} quit={() => {}} controllerOptions={controllerOptions} />
        {/* The shell's footer: each step's keys come from its key table. */}
        <Footer />
      </KeyRouter>
    </LayoutProvider>,
  );
  rendered.push(screen);
  return {ws, clock, screen, backs: () => backs};
}

/** Steps 1-5 with the one configured role; returns at the countdown. */
async function toCountdown(screen: Rendered) {
  await waitForFrame(screen, 'Step 1/8');
  expect(screen.lastFrame()).toContain('[x] Gateway 1');
  await press(screen, keys.enter);
  await waitForFrame(screen, 'Step 2/8');
  expect(screen.lastFrame()).toContain('[x] Proxy System');
  await press(screen, keys.enter);
  await waitForFrame(screen, 'Step 4/8');
  // The simulated gateway is a process of its own: on a loaded machine it may start writing only
  // seconds after "on". Wait until it has written, or the window could close before any log line
  // (the ZIP would then rightly hold no gateway.log).
  await waitForFrame(screen, /Gateway 1: [1-9]\d* files?, \+[1-9]\d*(\.\d)? (B|KB) since on/, 30_000);
  await press(screen, keys.enter);
  await waitForFrame(screen, 'Reproduce the problem now');
  await press(screen, keys.enter);
  await waitForFrame(screen, 'Step 6/8');
}

/** The journal is written right after the screen shows a state; wait for it (in act: the screen keeps working meanwhile). */
async function journalWhen(stateDir: string, accept: (phase: string, journal: Journal) => boolean): Promise<Journal> {
  return waitUntil(async () => {
    const journal = await readJournal(stateDir);
    return journal && accept(journal.state.phase, journal) ? journal : undefined;
  }, 'the journal to reach the expected state');
}

/** The run is listed once its record is written, just after the screen shows the ZIP. */
async function runsListed(stateDir: string) {
  return waitUntil(async () => {
    const runs = await listLogflowRuns(stateDir);
    return runs.length > 0 ? runs : undefined;
  }, 'the run record');
}

function checkFrames(screen: Rendered, bodyRows: number) {
  for (const frame of screen.frames) {
    const lines = frame.split('\n');
    expect(lines.length, frame).toBeLessThanOrEqual(bodyRows);
    expect(frame, 'ASCII mode prints only ASCII').toMatch(/^[\x00-\x7f]*$/);
  }
}

describe('LogflowScreen with a script role (countdown on an injected clock)', () => {
  it('runs steps 1-8: extend, cancel "finish now", the countdown runs out, ZIP shown', async () => {
    const {ws, clock, screen} = await open();
    await toCountdown(screen);
    await waitForFrame(screen, '05:00  left');
    expect(simRunning(ws.pidFile)).toBe(true);
    await press(screen, 'e');
    await waitForFrame(screen, '06:00  left');
    clock.advance(90_000);
    await waitForFrame(screen, '04:30  left');
    expect(screen.lastFrame()).toMatch(/\[#+-+\]/);
    await press(screen, 'f');
    await waitForFrame(screen, 'Finish now and turn logging off? y = yes, n = no');
    await press(screen, 'n');
    await waitForFrame(screen, '+ or e extend 1 min');
    clock.advance(4 * 60_000 + 30_000);
    await waitForFrame(screen, 'Done. Logging is off', 20_000);
    expect(simRunning(ws.pidFile)).toBe(false);
    const runs = await runsListed(ws.stateDir);
    expect(runs).toHaveLength(1);
    expect(screen.lastFrame()).toContain(`logflow-${runs[0]!.id}.zip`);
    // Step 8 is still reading the ZIP back for its offer: the test's own reading runs in act too.
    const zip = await inAct(() => readWithYauzl(runs[0]!.zipPath));
    expect(zip.get('Gateway_1/gateway.log')!.equals(readFileSync(`${ws.logs}/gateway.log`))).toBe(true);
    const journal = await journalWhen(ws.stateDir, phase => phase === 'finished');
    expect(journal.state.offReason).toBe('countdown');
    expect(journal.history.map(entry => entry.event)).toEqual(expect.arrayContaining(['EXTEND', 'FINISH_REQUESTED', 'FINISH_CANCELLED', 'TICK', 'COLLECTED']));
    checkFrames(screen, 17);
  });

  it('a watchdog that does not acknowledge: refused at step 2, nothing switched on, nothing journaled as on', async () => {
    const {ws, screen} = await open({startWatchdog: () => process.pid, watchdogAckMs: 500});
    await waitForFrame(screen, 'Step 1/8');
    await press(screen, keys.enter);
    await waitForFrame(screen, 'Step 2/8');
    await press(screen, keys.enter);
    await waitForFrame(screen, /did not acknowledge the run within 1 s\.\s+Nothing was switched on/);
    expect(screen.lastFrame()).toContain('Step 2/8');
    expect(simRunning(ws.pidFile)).toBe(false);
    expect((await readJournal(ws.stateDir))?.state.roles.every(role => role.logging === 'neverOn')).toBe(true);
  });

  it('finish early after confirming', async () => {
    const {ws, screen} = await open();
    await toCountdown(screen);
    await press(screen, 'f');
    await waitForFrame(screen, 'Finish now');
    await press(screen, 'y');
    await waitForFrame(screen, 'Done. Logging is off', 20_000);
    expect((await journalWhen(ws.stateDir, phase => phase === 'finished')).state.offReason).toBe('finishedEarly');
    expect(simRunning(ws.pidFile)).toBe(false);
  });

  it('abort during the countdown goes through "logging off" and makes no ZIP', async () => {
    const {ws, screen} = await open();
    await toCountdown(screen);
    // a asks first; any other key keeps the countdown running.
    await press(screen, 'a');
    await waitForFrame(screen, 'Abort the run?');
    await press(screen, 'x');
    await waitForFrame(screen, '+ or e extend 1 min');
    expect(screen.lastFrame()).toContain('Step 6/8');
    await press(screen, 'a');
    await press(screen, 'y');
    await waitForFrame(screen, 'Aborted. Logging is off; no ZIP was made.', 20_000);
    expect(simRunning(ws.pidFile)).toBe(false);
    const journal = await journalWhen(ws.stateDir, phase => phase === 'aborted');
    expect(journal.state.phase).toBe('aborted');
    expect(journal.history.map(entry => entry.to)).toEqual(expect.arrayContaining(['turningOff', 'verifyingOff', 'aborted']));
    expect(await listLogflowRuns(ws.stateDir)).toEqual([]);
  });

  it('Esc while logging is on says how to leave; the last screen of an abort does not claim a ZIP step', async () => {
    const {screen} = await open();
    await toCountdown(screen);
    await press(screen, keys.escape);
    let frame = await waitForFrame(screen, 'Logging is ON: Esc does not leave');
    expect(frame).toContain('Step 6/8');
    await press(screen, 'a');
    await press(screen, 'y');
    frame = await waitForFrame(screen, 'Aborted. Logging is off; no ZIP was made.', 20_000);
    expect(frame).not.toContain('Collecting the logs into a ZIP');
    expect(frame).toContain('Troubleshooting logs: aborted');
  });

  it('step 2: while a location is edited the keys line says what Enter and Esc do there', async () => {
    const {screen} = await open();
    await waitForFrame(screen, 'Step 1/8');
    await press(screen, keys.enter);
    await waitForFrame(screen, 'Step 2/8');
    await press(screen, `${keys.down}${keys.down}${keys.down}${keys.down}`);
    await press(screen, 'l');
    let frame = await waitForFrame(screen, 'Enter use this location for this run');
    expect(frame).not.toContain('Enter turn logging ON');
    await press(screen, keys.escape);
    frame = await waitForFrame(screen, 'Enter turn logging ON');
    expect(frame).toContain('Step 2/8');
  });

  it('abort while a script role is being turned on (step 3) turns it off once the command returns', async () => {
    const slowOn = (logs: string) => [{name: 'Gateway 1', driver: 'script', location: logs, enable: [process.execPath, '-e', 'setTimeout(() => {}, 1500)'], disable: [process.execPath, '-e', 'console.log("off")']}];
    const {ws, screen} = await open({roles: slowOn});
    await waitForFrame(screen, 'Step 1/8');
    await press(screen, keys.enter);
    await waitForFrame(screen, 'Step 2/8');
    await press(screen, keys.enter);
    const frame = await waitForFrame(screen, 'Step 3/8');
    expect(frame).toContain('a abort');
    // Aborting throws the run away: a asks, any other key keeps going, only y aborts.
    await press(screen, 'a');
    await waitForFrame(screen, 'Abort and turn logging off again? y = yes');
    await press(screen, 'z');
    await waitForFrame(screen, 'a abort');
    expect(screen.lastFrame()).toContain('Step 3/8');
    await press(screen, 'a');
    await waitForFrame(screen, 'y abort, turn logging off again');
    await press(screen, 'y');
    await waitForFrame(screen, 'Aborted. Logging is off; no ZIP was made.', 20_000);
    const journal = await journalWhen(ws.stateDir, phase => phase === 'aborted');
    expect(journal.history.some(entry => entry.event === 'ABORT' && entry.from === 'turningOn')).toBe(true);
    expect(journal.history.map(entry => entry.to)).toEqual(expect.arrayContaining(['turningOff', 'verifyingOff', 'aborted']));
  });

  it('abort while checking that logging is on (step 4) also turns it off', async () => {
    const {ws, screen} = await open();
    await waitForFrame(screen, 'Step 1/8');
    await press(screen, keys.enter);
    await waitForFrame(screen, 'Step 2/8');
    await press(screen, keys.enter);
    await waitForFrame(screen, 'Step 4/8');
    await press(screen, 'a');
    await waitForFrame(screen, 'Abort the run?');
    await press(screen, keys.enter);
    // Enter answers "no" (it does not also confirm the step): still step 4, logging still on.
    await waitForFrame(screen, 'Enter logging is on, continue');
    expect(screen.lastFrame()).toContain('Step 4/8');
    expect(simRunning(ws.pidFile)).toBe(true);
    await press(screen, 'a');
    await press(screen, 'y');
    await waitForFrame(screen, 'Aborted.', 20_000);
    expect(simRunning(ws.pidFile)).toBe(false);
  });

  it('Ctrl-C / quit / a signal during the countdown turns script roles off before exit', async () => {
    const {ws, screen} = await open();
    await toCountdown(screen);
    expect(simRunning(ws.pidFile)).toBe(true);
    // A signal while the screen is shown: the controller's last updates land in act.
    await inAct(() => runShutdownHandlers('SIGHUP'));
    expect(simRunning(ws.pidFile)).toBe(false);
    const journal = (await readJournal(ws.stateDir))!;
    expect(journal.state.phase).toBe('stopped');
    expect(journal.state.offReason).toBe('signal');
    expect(journal.state.roles[0]!.logging).toBe('off');
  });

  it('Esc before logging is on leaves the screen; an unwritable location is refused in step 2', async () => {
    const {ws, screen, backs} = await open();
    await waitForFrame(screen, 'Step 1/8');
    await press(screen, keys.enter);
    await waitForFrame(screen, 'Step 2/8');
    await press(screen, keys.down.repeat(4) + 'l');
    await waitForFrame(screen, 'Gateway 1: ');
    await press(screen, '\u0015/proc/version/logs' + keys.enter);
    await press(screen, keys.enter);
    await waitForFrame(screen, /log location \/proc\/version\/logs cannot be/);
    expect(simRunning(ws.pidFile)).toBe(false);
    await press(screen, keys.escape);
    await waitForFrame(screen, 'Step 1/8');
    await press(screen, keys.escape);
    expect(backs()).toBe(1);
  });
});

describe('log locations that are not full paths', () => {
  it('a relative location (e.g. a Windows path typed on another system) is refused in step 2, nothing is created', async () => {
    const {ws, screen} = await open();
    await waitForFrame(screen, 'Step 1/8');
    await press(screen, keys.enter);
    await waitForFrame(screen, 'Step 2/8');
    await press(screen, keys.down.repeat(4) + 'l');
    await waitForFrame(screen, 'Gateway 1: ');
    const relative = `qa-relative-${process.pid}`;
    await press(screen, `\u0015${relative}` + keys.enter);
    await press(screen, keys.enter);
    await waitForFrame(screen, /is not a full path/);
    // The error is wrapped, not cut, on a narrow terminal.
    Object.defineProperty(screen.stdout, 'columns', {value: 60, configurable: true});
    screen.stdout.emit('resize');
    await waitForFrame(screen, /is not a full\s+path \(like\s+D:\\NSP-Logs\)\./);
    expect(existsSync(relative)).toBe(false);
    expect(simRunning(ws.pidFile)).toBe(false);
  });
});

describe('LogflowScreen with a guided role', () => {
  it('at 80 columns the guided steps are wrapped, never cut: the role name and every protocol stay readable', async () => {
    const name = 'Gateway Role Berlin with a very long name';
    const {screen} = await open({roles: logs => [{name, driver: 'guided', location: logs}]});
    Object.defineProperty(screen.stdout, 'columns', {value: 80, configurable: true});
    screen.stdout.emit('resize');
    await waitForFrame(screen, 'Step 1/8');
    await press(screen, keys.enter);
    await waitForFrame(screen, 'Step 2/8');
    await press(screen, keys.enter);
    const frame = await waitForFrame(screen, 'Do this now for');
    for (const line of frame.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    const text = frame.replace(/\s+/g, ' ');
    expect(text).toContain(`Select the gateway role "${name}" and click Modify.`);
    expect(text).toContain('AntiSpam service, Mailvalidation, DNS Service, Proxy System.');
    await press(screen, 'a');
    await press(screen, 'y');
    await waitForFrame(screen, 'Do this now for');
    await press(screen, keys.enter);
    await waitForFrame(screen, 'Aborted.', 20_000);
  });

  it('shows the exact NoSpamProxy steps for on and off and waits for the admin each time', async () => {
    const {ws, screen} = await open({roles: logs => [{name: 'GW guided', driver: 'guided', location: logs}]});
    await waitForFrame(screen, 'Step 1/8');
    await press(screen, keys.enter);
    await waitForFrame(screen, 'Step 2/8');
    await press(screen, keys.enter);
    const on = await waitForFrame(screen, 'Do this now for "GW guided"');
    expect(on).toContain('Troubleshooting > Log settings');
    expect(on).toContain('enable logging');
    expect(on).toContain('AntiSpam service, Mailvalidation, DNS Service, Proxy System');
    const journal = await journalWhen(ws.stateDir, phase => phase === 'turningOn');
    expect(journal.state.roles[0]!.logging).toBe('turningOn');
    await press(screen, keys.enter);
    await waitForFrame(screen, 'Step 4/8');
    await press(screen, 'a');
    await press(screen, 'y');
    const off = await waitForFrame(screen, 'disable logging');
    expect(off).toContain('Step 7/8');
    await press(screen, keys.enter);
    await waitForFrame(screen, 'Aborted. Logging is off', 20_000);
  });
});

/** A journal of a run in its countdown whose console is gone (the role's simulated logging is on); returns the deadline. */
async function crashedCountdown(w: ReturnType<typeof makeWorkspace>): Promise<number> {
  const role = simRole('Gateway 1', w.logs, w.pidFile);
  execFileSync(role.enable[0]!, [...role.enable.slice(1)].map(part => part.replace('{role}', 'Gateway 1').replace('{location}', w.logs).replace('{protocols}', 'DNS')));
  const at = Date.now() - 60_000;
  let state = initialFlowState('crashed-run', 5 * 60_000, at, ['DNS']);
  const events: FlowEvent[] = [
    {type: 'ROLES_CHOSEN', roles: [role as never]},
    {type: 'SETTINGS_CONFIRMED', protocols: ['DNS'], roles: [role as never], onSnapshot: {'Gateway 1': {}}},
    {type: 'ROLE_TURNED_ON', role: 'Gateway 1'},
    {type: 'ACTIVITY_CONFIRMED'},
    {type: 'REPRODUCED'},
  ];
  for (const event of events) state = flowReducer(state, event, at);
  // A process that has exited: its pid is free, the console that "owned" the run is gone.
  const dead = Number(execFileSync(process.execPath, ['-e', 'console.log(process.pid)'], {encoding: 'utf8'}).trim());
  await writeJournal(w.stateDir, {version: 1, ownerPid: dead, watchdogGraceMs: 30_000, commandTimeoutMs: 10_000, state, history: []});
  return Date.parse(state.deadline!);
}

describe('recovery inside the screen', () => {
  it('Esc does not leave logging on (it says what to do); quitting turns logging off first and says so', async () => {
    const {ws, screen} = await open({prepare: async w => void (await crashedCountdown(w))});
    await waitForFrame(screen, 'Troubleshooting logging is still ON');
    await press(screen, keys.escape);
    await waitForFrame(screen, 'Logging is still on: choose an action first (q quits and turns logging off first).');
    expect(simRunning(ws.pidFile)).toBe(true);
    // What q (and Ctrl-C, a signal) runs before the console exits.
    await inAct(() => runShutdownHandlers('quit'));
    expect(simRunning(ws.pidFile)).toBe(false);
    expect((await readJournal(ws.stateDir))?.state.phase).not.toBe('countingDown');
    expect(sessionOutcome()).toEqual({lines: ['Troubleshooting logs interrupted: logging turned off for Gateway 1; no ZIP'], interrupted: true});
  });

  it('offers turn-off (default) and resume; resume continues from the recorded deadline', async () => {
    let deadline = 0;
    const {ws, screen, clock} = await open({
      prepare: async w => {
        deadline = await crashedCountdown(w);
      },
    });
    const frame = await waitForFrame(screen, 'Troubleshooting logging is still ON');
    expect(frame).toContain('Gateway 1 (script): ON');
    // The last state in words, on its own line (at 80 columns a long run id cut it off).
    expect(frame).toContain('It stopped while: counting down (step 6)');
    expect(frame).toContain('> 1 Turn logging off now');
    await press(screen, keys.down + keys.enter);
    await waitForFrame(screen, 'Step 6/8');
    const remaining = Math.ceil((deadline - clock.now()) / 1000);
    expect(remaining).toBeGreaterThan(200);
    await waitForFrame(screen, `0${Math.floor(remaining / 60)}:${String(remaining % 60).padStart(2, '0')}  left`);
    const adopted = await journalWhen(ws.stateDir, (phase, journal) => phase === 'countingDown' && journal.ownerPid === process.pid);
    expect(adopted.ownerPid).toBe(process.pid);
    expect(adopted.state.deadline).toBe(new Date(deadline).toISOString());
    await press(screen, 'a');
    await press(screen, 'y');
    await waitForFrame(screen, 'Aborted. Logging is off', 20_000);
    expect(simRunning(ws.pidFile)).toBe(false);
  });
});

describe('editing roles in step 1 (settings.json "roles")', () => {
  it('adds a guided role, edits a location and removes a role', async () => {
    const {ws, screen} = await open();
    const settings = () => JSON.parse(readFileSync(`${ws.stateDir}/settings.json`, 'utf8')) as {roles: {name: string; driver: string; location: string}[]; logflow: unknown};
    await waitForFrame(screen, 'Step 1/8');
    await press(screen, 'n');
    await waitForFrame(screen, 'New guided role, name');
    await press(screen, 'gateway 1' + keys.enter);
    await waitForFrame(screen, 'That name exists already.');
    await press(screen, '\u0015Backup GW' + keys.enter);
    await waitForFrame(screen, 'Log location');
    await press(screen, '/srv/nsp-logs' + keys.enter);
    await waitForFrame(screen, 'Added guided role "Backup GW"');
    expect(settings().roles.map(role => [role.name, role.driver, role.location])).toEqual([
      ['Gateway 1', 'script', ws.logs],
      ['Backup GW', 'guided', '/srv/nsp-logs'],
    ]);
    expect(settings().logflow).toBeDefined();
    await press(screen, keys.down + 'e');
    await waitForFrame(screen, 'Log location of Backup GW');
    await press(screen, '\u0015/srv/other' + keys.enter);
    await waitForFrame(screen, 'Saved the log location of "Backup GW"');
    expect(settings().roles[1]!.location).toBe('/srv/other');
    // Removing asks first; any key but y keeps the role.
    await press(screen, 'x');
    await waitForFrame(screen, 'Remove "Backup GW" from settings.json? y remove, any other key keeps it');
    await press(screen, 'n');
    await waitForFrame(screen, 'Kept "Backup GW".');
    expect(settings().roles).toHaveLength(2);
    await press(screen, 'xy');
    await waitForFrame(screen, 'Removed "Backup GW"');
    expect(settings().roles.map(role => role.name)).toEqual(['Gateway 1']);
    // A script role's commands would be lost: it says so. The last role stays, and says why.
    await press(screen, 'x');
    await waitForFrame(screen, '"Gateway 1" is the only role and stays: add another first (n), or change its location (e).');
    expect(settings().roles.map(role => role.name)).toEqual(['Gateway 1']);
  });
});

describe('step 4 when nothing is written', () => {
  it('says plainly that logging may not be on', async () => {
    const silent = (logs: string) => [{name: 'Silent GW', driver: 'script', location: logs, enable: [process.execPath, '-e', ''], disable: [process.execPath, '-e', '']}];
    const {ws, screen, clock} = await open({roles: silent});
    await waitForFrame(screen, 'Step 1/8');
    await press(screen, keys.enter);
    await waitForFrame(screen, 'Step 2/8');
    await press(screen, keys.enter);
    await waitForFrame(screen, 'Step 4/8');
    await waitForFrame(screen, 'Silent GW: 0 files');
    expect(screen.lastFrame()).not.toContain('Nothing written');
    // The quiet warning runs on the injected clock too (setting quietWarning = 1s).
    clock.advance(1_000);
    const frame = await waitForFrame(screen, 'Nothing written for a while: logging may not be on, or nothing is happening yet.');
    expect(frame).toContain('Silent GW: 0 files, +0 B since on');
    await press(screen, 'a');
    await press(screen, 'y');
    await waitForFrame(screen, 'Aborted. Logging is off', 20_000);
    expect((await journalWhen(ws.stateDir, phase => phase === 'aborted')).state.roles[0]!.logging).toBe('off');
  });
});

describe('recovery of a run interrupted while collecting', () => {
  it('offers to collect now (logging is already off) and makes the ZIP of the recorded window', async () => {
    const {ws, screen} = await open({
      prepare: async w => {
        const {mkdirSync, writeFileSync} = await import('node:fs');
        mkdirSync(w.logs, {recursive: true});
        writeFileSync(`${w.logs}/gateway.log`, 'old\nnew 1\nnew 2\n');
        const role = simRole('Gateway 1', w.logs, w.pidFile);
        const at = Date.now() - 60_000;
        let state = initialFlowState('zip-crash', 60_000, at, ['DNS']);
        const events: FlowEvent[] = [
          {type: 'ROLES_CHOSEN', roles: [role as never]},
          {type: 'SETTINGS_CONFIRMED', protocols: ['DNS'], roles: [role as never], onSnapshot: {'Gateway 1': {'gateway.log': 4}}},
          {type: 'ROLE_TURNED_ON', role: 'Gateway 1'},
          {type: 'ACTIVITY_CONFIRMED'},
          {type: 'REPRODUCED'},
          {type: 'FINISH_REQUESTED'},
          {type: 'FINISH_CONFIRMED'},
          {type: 'ROLE_TURNED_OFF', role: 'Gateway 1'},
          {type: 'OFF_VERIFIED', offSnapshot: {'Gateway 1': {'gateway.log': 16}}},
        ];
        for (const event of events) state = flowReducer(state, event, at);
        const dead = Number(execFileSync(process.execPath, ['-e', 'console.log(process.pid)'], {encoding: 'utf8'}).trim());
        await writeJournal(w.stateDir, {version: 1, ownerPid: dead, watchdogGraceMs: 30_000, commandTimeoutMs: 10_000, state, history: []});
        // A partial ZIP left by the dead console.
        mkdirSync(`${w.stateDir}/output`, {recursive: true});
        writeFileSync(`${w.stateDir}/output/logflow-zip-crash.zip`, 'partial');
      },
    });
    const frame = await waitForFrame(screen, 'A troubleshooting-log run was interrupted');
    expect(frame).toContain('> 1 Collect the logs into the ZIP now');
    await press(screen, keys.enter);
    await waitForFrame(screen, 'Done. Logging is off', 20_000);
    const zip = await inAct(() => readWithYauzl(`${ws.stateDir}/output/logflow-zip-crash.zip`));
    expect(zip.get('Gateway_1/gateway.excerpt.log')!.toString()).toBe('new 1\nnew 2\n');
    expect((await runsListed(ws.stateDir)).map(run => run.id)).toEqual(['zip-crash']);
  });
});

describe('when logging cannot be turned off', () => {
  const failingOff = (pidFile: string) => (logs: string) => [{...simRole('Gateway 1', logs, pidFile), disable: [process.execPath, '-e', 'console.error("access denied"); process.exit(1)']}];

  it('says so loudly; retry, manual steps, and "done by hand" verifies again and collects', async () => {
    const pidFile = `${makeWorkspace().base}/sim.pid`;
    const {ws, screen} = await open({roles: failingOff(pidFile)});
    await toCountdown(screen);
    await press(screen, 'f');
    await press(screen, 'y');
    const loud = await waitForFrame(screen, 'LOGGING MAY STILL BE ON: Gateway 1', 20_000);
    expect(loud).toContain('exit code 1: access denied');
    await press(screen, 'm');
    await waitForFrame(screen, 'disable logging');
    await press(screen, 'r');
    // The screen said "still on" before the retry too: wait for the retry's own record, then its outcome.
    const retried = (journal: Journal) => journal.history.some(entry => entry.event === 'RETRY_OFF');
    const journal = await journalWhen(ws.stateDir, (phase, current) => phase === 'stillLogging' && retried(current));
    await waitForFrame(screen, 'LOGGING MAY STILL BE ON', 20_000);
    expect(simRunning(pidFile)).toBe(true);
    expect(journal.history.filter(entry => entry.event === 'RETRY_OFF')).toHaveLength(1);
    // The admin switches it off by hand.
    execFileSync(process.execPath, [simRole('x', ws.logs, pidFile).disable[1]!, 'off', '--pid-file', pidFile]);
    await press(screen, 'd');
    await waitForFrame(screen, 'Done. Logging is off', 20_000);
  });

  it('leaving logging on needs L and y; the journal and status keep saying on', async () => {
    const pidFile = `${makeWorkspace().base}/sim.pid`;
    const {ws, screen} = await open({roles: failingOff(pidFile)});
    await toCountdown(screen);
    await press(screen, 'a');
    await press(screen, 'y');
    await waitForFrame(screen, 'LOGGING MAY STILL BE ON', 20_000);
    await press(screen, 'L');
    await waitForFrame(screen, 'Leave logging ON? Log files are never deleted.');
    await press(screen, 'n');
    await waitForFrame(screen, 'r retry');
    await press(screen, 'L');
    await press(screen, 'y');
    await waitForFrame(screen, 'Logging was LEFT ON at your request');
    const journal = await journalWhen(ws.stateDir, phase => phase === 'leftOn');
    const {statusFromJournal} = await import('../../source/logflow/status.js');
    expect(statusFromJournal(journal)).toMatchObject({loggingOn: true, state: 'leftOn', roles: [{name: 'Gateway 1', loggingOn: true}]});
    execFileSync(process.execPath, [simRole('x', ws.logs, pidFile).disable[1]!, 'off', '--pid-file', pidFile]);
  });
});

describe('step 8: deleting the log files the run created', () => {
  const answers = [
    {key: 'y', says: 'Deleted 1 log file.', deleted: true},
    {key: 'n', says: 'Kept the 1 log file this run created', deleted: false},
    {key: keys.enter, says: 'Kept the 1 log file this run created', deleted: false},
    {key: keys.escape, says: 'Kept the 1 log file this run created', deleted: false},
  ];
  it.each(answers)('after the ZIP: lists count, size and folder; $key -> "$says"', async ({key, says, deleted}) => {
    const {ws, screen, backs} = await open({
      prepare: async w => {
        mkdirSync(w.logs, {recursive: true});
        writeFileSync(join(w.logs, 'old.log'), 'written before the run\n');
      },
    });
    await toCountdown(screen);
    await press(screen, 'f');
    await waitForFrame(screen, 'Finish now');
    await press(screen, 'y');
    const frame = await waitForFrame(screen, 'y delete them  any other key keeps them', 20_000);
    const runs = await runsListed(ws.stateDir);
    const zipped = (await inAct(() => readWithYauzl(runs[0]!.zipPath))).get('Gateway_1/gateway.log')!;
    expect(frame).toContain('Step 8/8');
    expect(frame).toContain(`Delete the 1 log file this run created (${formatSize(zipped.length)})?`);
    expect(frame.replace(/\n/g, '')).toContain(`Gateway 1: 1 log file, ${formatSize(zipped.length)} in ${ws.logs}`);
    expect(frame).toContain('Files that existed before the run are never deleted.');
    // Nothing is deleted before the answer.
    expect(existsSync(join(ws.logs, 'gateway.log'))).toBe(true);
    await press(screen, key);
    const after = await waitForFrame(screen, says);
    expect(after).toContain('Enter/Esc back');
    expect(backs()).toBe(0);
    expect(existsSync(join(ws.logs, 'gateway.log'))).toBe(!deleted);
    expect(readFileSync(join(ws.logs, 'old.log'), 'utf8')).toBe('written before the run\n');
    // The ZIP is never touched by the offer.
    expect(existsSync(runs[0]!.zipPath)).toBe(true);
    await press(screen, keys.enter);
    expect(backs()).toBe(1);
  });
});

describe('step 1: the size of each log location', () => {
  // Real folders with a sparse file (no disk space used) just over, at and under the threshold.
  const sizes = [
    {name: 'over 5 GB', bytes: logLocationWarnBytes + 1, warned: true},
    {name: 'exactly 5 GB', bytes: logLocationWarnBytes, warned: false},
    {name: '1 MB', bytes: 1024 * 1024, warned: false},
  ];
  it.each(sizes)('$name: warning shown = $warned', async ({bytes, warned}) => {
    const {screen} = await open({
      prepare: async w => {
        mkdirSync(w.logs, {recursive: true});
        execFileSync('truncate', ['-s', String(bytes), join(w.logs, 'big.log')]);
      },
    });
    const frame = await waitForFrame(screen, `Log location sizes: Gateway 1 ${formatSize(bytes)}`);
    const warning = `Above ${formatSize(logLocationWarnBytes)}: Gateway 1; logs are never deleted automatically, delete old ones.`;
    if (warned) {
      expect(frame).toContain(`Gateway 1 ${formatSize(bytes)} (!)`);
      expect(frame).toContain(warning);
    } else {
      expect(frame).not.toContain('(!)');
      expect(frame).not.toContain('Above ');
    }
  });
});
