import {access, constants, mkdir, rm, stat} from 'node:fs/promises';
import {isAbsolute} from 'node:path';
import {errorMessage} from '../errors.js';
import {recordOutcome} from '../outcome.js';
import {onShutdown} from '../system/shutdown.js';
import {collectWindow, zipPathFor} from './collect.js';
import {guidedSteps, runRoleCommand} from './drivers.js';
import {heartbeatIntervalMs, writeHeartbeat, writeJournal, type Journal, type JournalEntry} from './journal.js';
import {initialFlowState, isEnded, isLoggingMaybeOn, onPhases, type FlowEvent, type FlowState, type RunRole} from './machine.js';
import type {FlowTimings} from './options.js';
import {newRunId, writeRunRecord} from './runs.js';
import {growingRoles, snapshotRoles} from './snapshot.js';
import {applyEvent, turnOffEverything} from './transition.js';
import {allProtocols, type Protocol, type RoleDefinition} from './types.js';
import {LocationWatcher, type RoleActivity} from './watcher.js';
import {startWatchdog as startDetachedWatchdog} from './watchdog.js';

/** Time source; tests pass a fake one so the 5-minute countdown runs instantly. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = {now: () => Date.now()};

export interface ControllerOptions {
  stateDir: string;
  timings: FlowTimings;
  clock?: Clock;
  by?: JournalEntry['by'];
  /** Starts the dead-man switch; returns its pid. Default: dist/watchdog.js, detached. */
  startWatchdog?: (stateDir: string, runId: string) => number | undefined;
  /** How often the countdown is re-evaluated against the clock. */
  tickMs?: number;
  watchIntervalMs?: number;
  /** Each line a role's command prints, as it arrives. */
  onOutput?: (role: string, line: string) => void;
  /** Register the signal/quit handler that turns logging off (default true). */
  handleShutdown?: boolean;
}

/** A guided role waiting for the admin to do the steps in the NoSpamProxy console. */
export interface GuidedRequest {
  role: string;
  turn: 'on' | 'off';
  steps: string[];
}

export interface ControllerView {
  state: FlowState;
  /** What is running now, for a spinner. */
  busy?: string;
  guided?: GuidedRequest;
  /** Last lines of each role's command output. */
  output: Record<string, string[]>;
  activity: RoleActivity[];
  /** Roles with nothing written for a while (step 4 warning). */
  quietRoles: string[];
  collect?: {bytesIn: number; bytesTotal: number; entriesDone: number; entriesTotal: number};
  /** Last problem that did not change the state (e.g. a location check). */
  notice?: string;
  /** Stays visible: the dead-man switch is missing. */
  watchdogProblem?: string;
  watchdogPid?: number;
}

const outputLines = 6;

/**
 * Runs the flow: sends events to the reducer, journals every transition before acting on it, and
 * performs the effects of each phase (commands, watching, verifying, zipping). Screens and the
 * non-interactive command only call its methods and render getView().
 */
export class LogflowController {
  private journal: Journal;
  private listeners = new Set<() => void>();
  private saving: Promise<void> = Promise.resolve();
  private busy: string | undefined;
  private guided: GuidedRequest | undefined;
  private output: Record<string, string[]> = {};
  private watcher: LocationWatcher | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private unregisterShutdown: (() => void) | undefined;
  private collectAbort: AbortController | undefined;
  private collectProgress: ControllerView['collect'];
  private notice: string | undefined;
  private shuttingDown = false;
  private disposed = false;
  private runRecorded = false;
  private partialRemoved = false;
  readonly clock: Clock;
  private readonly by: JournalEntry['by'];

  constructor(
    private readonly options: ControllerOptions,
    existing?: Journal,
  ) {
    this.clock = options.clock ?? systemClock;
    this.by = options.by ?? 'console';
    const now = this.clock.now();
    this.journal = existing
      ? {...existing, ownerPid: process.pid}
      : {
          version: 1,
          ownerPid: process.pid,
          watchdogGraceMs: options.timings.watchdogGraceMs,
          commandTimeoutMs: options.timings.commandTimeoutMs,
          state: initialFlowState(newRunId(now), options.timings.waitMs, now, [...allProtocols]),
          history: [],
        };
  }

  /** Takes over a journal left by a console that died: new owner, new watchdog, effects resume. */
  static adopt(options: ControllerOptions, journal: Journal): LogflowController {
    const controller = new LogflowController(options, journal);
    controller.persist();
    if (isLoggingMaybeOn(journal.state) && !isEnded(journal.state)) controller.armSafety();
    controller.pump();
    return controller;
  }

  get state(): FlowState {
    return this.journal.state;
  }

  getJournal(): Journal {
    return this.journal;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private view: ControllerView | undefined;
  getView(): ControllerView {
    this.view ??= {
      state: this.journal.state,
      busy: this.busy,
      guided: this.guided,
      output: this.output,
      activity: this.watcher?.activity() ?? [],
      quietRoles: this.watcher ? this.journal.state.roles.filter(role => this.watcher!.isQuiet(role.name, this.options.timings.quietWarningMs)).map(role => role.name) : [],
      collect: this.collectProgress,
      notice: this.notice,
      watchdogProblem: isEnded(this.journal.state) ? undefined : this.watchdogProblem,
      watchdogPid: this.journal.watchdogPid,
    };
    return this.view;
  }

  private changed(): void {
    this.view = undefined;
    for (const listener of this.listeners) listener();
  }

  /** Saves the journal; writes are chained so they land in order. */
  private persist(): Promise<void> {
    const snapshot = this.journal;
    this.ensureHeartbeat();
    this.saving = this.saving.then(() => writeJournal(this.options.stateDir, snapshot)).catch(error => {
      this.notice = `The journal could not be written: ${errorMessage(error)}`;
    });
    return this.saving;
  }

  /** Sends one event: reduce, journal, notify, then perform the effects of the new phase. */
  send(event: FlowEvent, note?: string): void {
    if (this.disposed || this.shuttingDown) return;
    const next = applyEvent(this.journal, event, this.clock.now(), this.by, note);
    if (next === this.journal) return;
    const before = this.journal.state.phase;
    this.journal = next;
    void this.persist();
    if (before !== next.state.phase) this.notice = undefined;
    this.changed();
    this.pump();
  }

  // ---- admin actions -------------------------------------------------------------------------

  chooseRoles(roles: RoleDefinition[]): void {
    if (roles.length === 0) {
      this.notice = 'Choose at least one gateway role.';
      this.changed();
      return;
    }
    this.send({type: 'ROLES_CHOSEN', roles});
  }

  backToRoles(): void {
    this.send({type: 'BACK_TO_ROLES'});
  }

  /** Checks every location (creates a missing one, refuses an unwritable one), snapshots sizes, then turns on. */
  async confirmSettings(protocols: Protocol[], roles: RoleDefinition[]): Promise<boolean> {
    if (protocols.length === 0) return this.refuse('Choose at least one protocol.');
    for (const role of roles) {
      const problem = await checkLocation(role.location);
      if (problem) return this.refuse(`${role.name}: ${problem}`);
    }
    const onSnapshot = await snapshotRoles(roles);
    this.send({type: 'SETTINGS_CONFIRMED', protocols, roles, onSnapshot});
    return this.state.phase !== 'confirmingSettings';
  }

  private refuse(message: string): false {
    this.notice = message;
    this.changed();
    return false;
  }

  /** The admin did the guided steps for the waiting role. */
  confirmGuided(): void {
    const request = this.guided;
    if (!request) return;
    this.guided = undefined;
    this.send({type: request.turn === 'on' ? 'ROLE_TURNED_ON' : 'ROLE_TURNED_OFF', role: request.role}, 'confirmed by the admin');
  }

  /** The admin could not do the guided "on" steps: treat as a failure (goes through "off"). */
  failGuided(message: string): void {
    const request = this.guided;
    if (!request || request.turn !== 'on') return;
    this.guided = undefined;
    this.send({type: 'ROLE_ON_FAILED', role: request.role, message});
  }

  confirmActivity(): void {
    this.send({type: 'ACTIVITY_CONFIRMED'});
  }
  reproduced(): void {
    this.send({type: 'REPRODUCED'});
  }
  extend(): void {
    this.send({type: 'EXTEND'});
  }
  requestFinish(): void {
    this.send({type: 'FINISH_REQUESTED'});
  }
  confirmFinish(): void {
    this.send({type: 'FINISH_CONFIRMED'});
  }
  cancelFinish(): void {
    this.send({type: 'FINISH_CANCELLED'});
  }
  abort(): void {
    if (this.state.phase === 'collecting') this.collectAbort?.abort();
    this.guided = undefined;
    this.send({type: 'ABORT', reason: 'aborted'});
  }
  retryOff(): void {
    this.send({type: 'RETRY_OFF'});
  }
  manualOffConfirmed(): void {
    this.send({type: 'MANUAL_OFF_CONFIRMED'});
  }
  leaveOn(): void {
    this.send({type: 'LEAVE_ON_CONFIRMED'});
  }
  resume(): void {
    this.send({type: 'RESUME'});
  }
  turnOffForRecovery(): void {
    this.send({type: 'ABORT', reason: 'recovery'});
  }

  /** Re-evaluates the countdown against the clock (the ticker calls it; tests may too). */
  tick(): void {
    this.send({type: 'TICK'});
    this.changed();
  }

  remainingMs(): number {
    const deadline = this.state.deadline;
    return deadline ? Math.max(0, Date.parse(deadline) - this.clock.now()) : this.state.waitMs;
  }

  // ---- effects -------------------------------------------------------------------------------

  /** Starts what the current phase needs, unless it is already running. */
  private pump(): void {
    if (this.disposed || this.shuttingDown) return;
    const state = this.state;
    if (onPhases.includes(state.phase) || state.phase === 'turningOff' || state.phase === 'verifyingOff') this.ensureWatcher();
    if (state.phase === 'countingDown' || state.phase === 'confirmingFinish') this.ensureTicker();
    else this.stopTicker();
    if (this.busy || this.guided) return;
    switch (state.phase) {
      case 'turningOn':
        this.armSafety();
        return this.nextRole('on');
      case 'turningOff':
        return this.nextRole('off');
      case 'verifyingOff':
        return void this.run('Checking that the log files stopped growing', () => this.verifyOff());
      case 'collecting':
        return void this.run('Collecting the window into a ZIP', () => this.collect());
      default:
        if (isEnded(state)) this.finish();
    }
  }

  private nextRole(turn: 'on' | 'off'): void {
    const waiting: RunRole['logging'] = turn === 'on' ? 'turningOn' : 'turningOff';
    const role = this.state.roles.find(candidate => candidate.logging === waiting);
    if (!role) return;
    if (role.driver === 'guided') {
      this.guided = {role: role.name, turn, steps: guidedSteps(role, this.state.protocols, turn)};
      this.changed();
      return;
    }
    void this.run(`Turning logging ${turn} for ${role.name}`, async () => {
      // The journal must say "maybe on" on disk before anything can switch logging on.
      await this.saving;
      this.output[role.name] = [];
      const outcome = await runRoleCommand(role, turn === 'on' ? 'enable' : 'disable', this.state.protocols, this.options.timings.commandTimeoutMs, line => {
        this.output[role.name] = [...(this.output[role.name] ?? []), line].slice(-outputLines);
        this.options.onOutput?.(role.name, line);
        this.changed();
      });
      if (turn === 'on') this.send(outcome.ok ? {type: 'ROLE_TURNED_ON', role: role.name} : {type: 'ROLE_ON_FAILED', role: role.name, message: outcome.message ?? 'failed'});
      else this.send(outcome.ok ? {type: 'ROLE_TURNED_OFF', role: role.name} : {type: 'ROLE_OFF_FAILED', role: role.name, message: outcome.message ?? 'failed'});
    });
  }

  private async run(label: string, work: () => Promise<void>): Promise<void> {
    this.busy = label;
    this.changed();
    try {
      await work();
    } catch (error) {
      this.busy = undefined;
      this.send({type: 'FAILED', message: errorMessage(error)});
    } finally {
      if (this.busy === label) this.busy = undefined;
      this.changed();
      this.pump();
    }
  }

  private async verifyOff(): Promise<void> {
    const first = await snapshotRoles(this.state.roles);
    await new Promise(resolve => setTimeout(resolve, this.options.timings.verifyOffMs));
    const second = await snapshotRoles(this.state.roles);
    const growing = growingRoles(first, second);
    this.busy = undefined;
    // The window ends at the first "off" snapshot: bytes after it are not part of the window.
    if (growing.length === 0) this.send({type: 'OFF_VERIFIED', offSnapshot: first});
    else this.send({type: 'STILL_GROWING', roles: growing, offSnapshot: first});
  }

  private async collect(): Promise<void> {
    const zipPath = zipPathFor(this.options.stateDir, this.state.runId);
    // A ZIP left by a console that died while collecting is partial: only we write this name.
    await rm(zipPath, {force: true});
    this.collectAbort = new AbortController();
    const result = await collectWindow(this.state, {
      stateDir: this.options.stateDir,
      now: this.clock.now,
      signal: this.collectAbort.signal,
      onProgress: progress => {
        this.collectProgress = progress;
        this.changed();
      },
    });
    this.collectAbort = undefined;
    if (this.state.phase !== 'collecting') {
      await rm(zipPath, {force: true});
      return;
    }
    this.busy = undefined;
    this.send({type: 'COLLECTED', zipPath: result.zipPath, zipBytes: result.bytes});
  }

  /** Other processes (start-up, status, stop, the watchdog) tell a live owner from a dead pid by this. */
  private ensureHeartbeat(): void {
    if (this.heartbeat || isEnded(this.journal.state) || this.disposed) return;
    // Real time on purpose: other processes compare it with their own clock.
    const beat = () => void writeHeartbeat(this.options.stateDir, {pid: process.pid, runId: this.journal.state.runId, at: new Date().toISOString()}).catch(() => {});
    beat();
    this.heartbeat = setInterval(beat, heartbeatIntervalMs);
    this.heartbeat.unref();
  }
  private heartbeat: NodeJS.Timeout | undefined;

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private ensureWatcher(): void {
    if (this.watcher) return;
    this.watcher = new LocationWatcher(this.state.roles, this.clock.now, this.state.onSnapshot);
    this.watcher.subscribe(() => this.changed());
    this.watcher.start(this.options.watchIntervalMs ?? 1_000);
  }

  private ensureTicker(): void {
    if (this.ticker) return;
    // Not unref'd: the countdown must keep a non-interactive run alive.
    this.ticker = setInterval(() => this.tick(), this.options.tickMs ?? 250);
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  /** From the moment logging may go on: the watchdog and the signal handler. */
  private armSafety(): void {
    if (this.unregisterShutdown === undefined && this.options.handleShutdown !== false) {
      this.unregisterShutdown = onShutdown(reason => this.shutdown(reason));
    }
    if (!this.watchdogStarted) {
      this.watchdogStarted = true;
      const start = this.options.startWatchdog ?? startDetachedWatchdog;
      void this.saving.then(() => {
        let pid: number | undefined;
        try {
          pid = start(this.options.stateDir, this.state.runId);
          if (pid === undefined) this.watchdogProblem = 'The watchdog could not be started (dist/watchdog.js missing?): if this console dies, turn logging off with "nsp-console logflow stop".';
        } catch (error) {
          this.watchdogProblem = `The watchdog could not be started: ${errorMessage(error)}`;
        }
        this.journal = {...this.journal, watchdogPid: pid};
        void this.persist();
        this.changed();
      });
    }
  }
  private watchdogStarted = false;
  private watchdogProblem: string | undefined;

  /** Signal, Ctrl-C or quit: turn script roles off now, record guided roles as pending. */
  private async shutdown(_reason: string): Promise<void> {
    this.shuttingDown = true;
    this.stopTicker();
    this.stopHeartbeat();
    this.watcher?.stop();
    this.collectAbort?.abort();
    await this.saving;
    if (onPhases.includes(this.state.phase) || this.state.phase === 'turningOff' || this.state.phase === 'stillLogging') {
      this.journal = await turnOffEverything(this.journal, 'signal', {stateDir: this.options.stateDir, now: this.clock.now, by: 'signal'});
      recordOutcome(interruptedRunOutcome(this.journal.state.roles), {interrupted: true});
    } else if (this.state.phase === 'collecting') {
      recordOutcome('Troubleshooting logs: logging was off; collecting stopped, no ZIP', {interrupted: true});
    }
    this.changed();
  }

  /** The run has ended: stop watching, record a finished run for the support bundle. */
  private finish(): void {
    this.stopTicker();
    this.stopHeartbeat();
    this.watcher?.stop();
    if (!isLoggingMaybeOn(this.state)) {
      this.unregisterShutdown?.();
      this.unregisterShutdown = undefined;
    }
    const state = this.state;
    // Only finished runs keep a ZIP; a partial one (e.g. from a console that died while zipping) goes.
    if (state.phase !== 'finished' && !this.partialRemoved) {
      this.partialRemoved = true;
      void rm(zipPathFor(this.options.stateDir, state.runId), {force: true}).catch(() => {});
    }
    if (state.phase === 'finished' && !this.runRecorded && state.zipPath && state.startedAt && state.endedAt) {
      this.runRecorded = true;
      recordOutcome(`Troubleshooting logs: logging off for ${state.roles.map(role => role.name).join(', ')}; ZIP ${state.zipPath}`);
      this.saving = this.saving.then(() =>
        writeRunRecord(this.options.stateDir, {
          id: state.runId,
          startedAt: state.startedAt!,
          endedAt: state.endedAt!,
          zipPath: state.zipPath!,
          roles: state.roles.map(role => role.name),
          protocols: state.protocols,
        }).then(
          () => {},
          error => {
            this.notice = `The run record could not be written: ${errorMessage(error)}`;
            this.changed();
          },
        ),
      );
    }
  }

  /** Resolves once the journal and run record are on disk. */
  async flushed(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.saving;
      await current;
    } while (current !== this.saving);
  }

  dispose(): void {
    this.disposed = true;
    this.stopTicker();
    this.stopHeartbeat();
    this.watcher?.stop();
    if (!isLoggingMaybeOn(this.state)) this.unregisterShutdown?.();
  }
}

/** Why a log location cannot be used, or undefined. A missing folder is created (the gateway needs it). */
export async function checkLocation(location: string): Promise<string | undefined> {
  if (location.trim() === '') return 'the log location is empty.';
  // A relative folder would be made below wherever the console was started (and mean something else to the gateway).
  if (!isAbsolute(location)) return `the log location ${location} is not a full path (like D:\\NSP-Logs).`;
  try {
    const info = await stat(location);
    if (!info.isDirectory()) return `the log location ${location} is a file, not a folder.`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return `the log location ${location} cannot be read: ${errorMessage(error)}`;
    try {
      await mkdir(location, {recursive: true});
    } catch (mkdirError) {
      return `the log location ${location} does not exist and cannot be created: ${errorMessage(mkdirError)}`;
    }
  }
  try {
    await access(location, constants.W_OK | constants.R_OK);
  } catch {
    return `the log location ${location} is not writable (the gateway could not write its logs there).`;
  }
  return undefined;
}

/** "Logging turned off for Gateway 2; no ZIP", naming roles that still need a hand (guided, or a failed command). */
export function interruptedRunOutcome(roles: readonly {name: string; logging: string}[]): string {
  const off = roles.filter(role => role.logging === 'off' || role.logging === 'neverOn').map(role => role.name);
  const byHand = roles.filter(role => role.logging === 'pendingManualOff').map(role => role.name);
  const failed = roles.filter(role => role.logging === 'offFailed' || role.logging === 'on' || role.logging === 'turningOff').map(role => role.name);
  const parts = [
    ...(off.length > 0 ? [`logging turned off for ${off.join(', ')}`] : []),
    ...(byHand.length > 0 ? [`TURN LOGGING OFF BY HAND for ${byHand.join(', ')} (NoSpamProxy console)`] : []),
    ...(failed.length > 0 ? [`LOGGING MAY STILL BE ON for ${failed.join(', ')}: run "nsp-console logflow stop"`] : []),
  ];
  return `Troubleshooting logs interrupted: ${parts.join(', ')}; no ZIP`;
}
