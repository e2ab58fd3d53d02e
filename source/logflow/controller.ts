import {access, constants, mkdir, rm, stat} from 'node:fs/promises';
import {isAbsolute} from 'node:path';
import {errorMessage} from '../errors.js';
import {recordOutcome} from '../outcome.js';
import {collectWindow, removeRunZip, zipPathFor} from './collect.js';
import {guidedSteps, runRoleCommand} from './drivers.js';
import {setAsideReserve, writeJournal, type Journal, type JournalEntry} from './journal.js';
import {initialFlowState, isEnded, isLoggingMaybeOn, onPhases, type FlowEvent, type FlowState} from './machine.js';
import type {FlowTimings} from './options.js';
import {newRunId, writeRunRecord} from './runs.js';
import {growingRoles, snapshotRoles} from './snapshot.js';
import {SafetyGuard} from './safety-guard.js';
import {applyEvent, turnOffEverything, turnOffLimitMs, turnOffRoles} from './transition.js';
import {allProtocols, type Protocol, type RoleDefinition} from './types.js';
import {LocationWatcher, type RoleActivity} from './watcher.js';

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
  /** How long the watchdog has to acknowledge a run before it is refused (default 10 s). */
  watchdogAckMs?: number;
}

/** Why a run was refused before anything was switched on: bad input (exit 2) or a broken promise (exit 3). */
export interface Refusal {
  kind: 'usage' | 'operational';
  message: string;
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
  /** Stays visible: a run that was refused, or a recovery that could not take the run lock. */
  watchdogProblem?: string;
  watchdogPid?: number;
  /** Set when the run was refused before anything was switched on. */
  refusal?: Refusal;
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
  private readonly guard: SafetyGuard;
  /** The effect running now (a command, verifying, zipping): shutdown waits for it, bounded. */
  private inFlight: Promise<void> | undefined;
  /** Recovery: effects wait until the run lock is ours. */
  private claimed = true;
  private refusal: Refusal | undefined;
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
    this.guard = new SafetyGuard({
      stateDir: options.stateDir,
      startWatchdog: options.startWatchdog,
      watchdogAckMs: options.watchdogAckMs,
      handleShutdown: options.handleShutdown,
      onShutdown: reason => this.shutdown(reason),
      shutdownLimitMs: () => turnOffLimitMs(this.journal) + this.options.timings.commandTimeoutMs,
      tickMs: options.tickMs,
      onTick: () => this.tick(),
    });
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

  /**
   * Takes over a journal left by a console that died: the run lock (recovered from the dead owner),
   * a new watchdog, then the effects resume. Until the lock is ours nothing runs.
   */
  static adopt(options: ControllerOptions, journal: Journal): LogflowController {
    const controller = new LogflowController(options, journal);
    controller.claimed = false;
    void controller.claim();
    return controller;
  }

  private async claim(): Promise<void> {
    const problem = await this.guard.takeLock(this.state.runId);
    if (problem) {
      this.watchdogProblem = `${problem} Nothing was done; use "nsp-console logflow status".`;
      this.changed();
      return;
    }
    this.claimed = true;
    await this.guard.startHeartbeat(this.state.runId);
    if (isLoggingMaybeOn(this.state)) {
      this.guard.registerShutdown();
      const watchdogProblem = await this.guard.armWatchdog(this.state.runId);
      // Turning off is what recovery is for: a missing watchdog is shown, not a reason to wait.
      if (watchdogProblem) this.watchdogProblem = `${watchdogProblem} If this console dies, run "nsp-console logflow stop".`;
      this.journal = {...this.journal, watchdogPid: this.guard.watchdogPid};
    }
    void this.persist();
    this.changed();
    this.pump();
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
      watchdogProblem: isEnded(this.journal.state) && !this.refusal ? undefined : this.watchdogProblem,
      watchdogPid: this.journal.watchdogPid,
      refusal: this.refusal,
    };
    return this.view;
  }

  private changed(): void {
    this.view = undefined;
    for (const listener of this.listeners) listener();
  }

  /** Saves the journal; writes are chained so they land in order. Only the run lock's holder writes it. */
  private persist(): Promise<void> {
    if (!this.guard.holdsLock()) return this.saving;
    const snapshot = this.journal;
    this.saving = this.saving.then(() => writeJournal(this.options.stateDir, snapshot)).catch(error => {
      this.notice = `The journal could not be written: ${errorMessage(error)}`;
    });
    return this.saving;
  }

  /** Sends one event: reduce, journal, notify, then perform the effects of the new phase. */
  send(event: FlowEvent, note?: string): void {
    if (this.disposed || this.shuttingDown) return;
    this.commit(event, note);
    this.pump();
  }

  /** Reduce, journal, notify (also while shutting down, for the turn-off loop's own events). */
  private commit(event: FlowEvent, note?: string): Promise<void> {
    const next = applyEvent(this.journal, event, this.clock.now(), this.by, note);
    if (next === this.journal) return this.saving;
    const before = this.journal.state.phase;
    this.journal = next;
    const saved = this.persist();
    if (before !== next.state.phase) this.notice = undefined;
    this.changed();
    return saved;
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
    if (this.disposed || this.shuttingDown || this.state.phase !== 'confirmingSettings') return false;
    const problem = await this.proveSafety();
    if (problem) return this.refuse(problem, 'operational');
    const next = applyEvent(this.journal, {type: 'SETTINGS_CONFIRMED', protocols, roles, onSnapshot}, this.clock.now(), this.by);
    if (next === this.journal) return false;
    // The journal says "maybe on" on disk (fsynced) before any enable command can run.
    try {
      await this.saving;
      await writeJournal(this.options.stateDir, next);
    } catch (error) {
      return this.refuse(`The journal cannot be written in ${this.options.stateDir}: ${errorMessage(error)}. Nothing was switched on.`, 'operational');
    }
    this.journal = next;
    this.notice = undefined;
    this.changed();
    this.pump();
    return true;
  }

  /**
   * Before anything is switched: the run lock is ours, the journal is written and fsynced, the
   * signal handler is in place and the watchdog has acknowledged this run. Returns the problem.
   */
  private async proveSafety(): Promise<string | undefined> {
    const runId = this.state.runId;
    const locked = await this.guard.takeLock(runId);
    if (locked) return locked;
    this.journal = {...this.journal, ownerPid: process.pid};
    try {
      await this.saving;
      await writeJournal(this.options.stateDir, this.journal);
      await setAsideReserve(this.options.stateDir, reserveBytes(this.journal));
    } catch (error) {
      this.guard.releaseLock();
      return `The journal cannot be written in ${this.options.stateDir}: ${errorMessage(error)}. Nothing was switched on.`;
    }
    await this.guard.startHeartbeat(runId);
    this.guard.registerShutdown();
    const watchdogProblem = await this.guard.armWatchdog(runId);
    if (watchdogProblem) {
      this.guard.unregister();
      this.guard.releaseLock();
      return `${watchdogProblem} Nothing was switched on.`;
    }
    this.journal = {...this.journal, watchdogPid: this.guard.watchdogPid};
    return undefined;
  }

  private refuse(message: string, kind: Refusal['kind'] = 'usage'): false {
    this.notice = message;
    if (kind === 'operational') {
      this.refusal = {kind, message};
      this.watchdogProblem = message;
    }
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
    if (this.disposed || this.shuttingDown || !this.claimed) return;
    const state = this.state;
    if (onPhases.includes(state.phase) || state.phase === 'turningOff' || state.phase === 'verifyingOff') this.ensureWatcher();
    if (state.phase === 'countingDown' || state.phase === 'confirmingFinish') this.guard.ensureTicker();
    else this.guard.stopTicker();
    if (this.busy || this.guided) return;
    switch (state.phase) {
      case 'turningOn':
        return this.turnOnNext();
      case 'turningOff':
        return void this.run('Turning logging off', () => this.turnOff());
      case 'verifyingOff':
        return void this.run('Checking that the log files stopped growing', () => this.verifyOff());
      case 'collecting':
        return void this.run('Collecting the window into a ZIP', () => this.collect());
      default:
        if (isEnded(state)) this.finish();
    }
  }

  private showOutput(role: string, line: string): void {
    this.output[role] = [...(this.output[role] ?? []), line].slice(-outputLines);
    this.options.onOutput?.(role, line);
    this.changed();
  }

  private turnOnNext(): void {
    const role = this.state.roles.find(candidate => candidate.logging === 'turningOn');
    if (!role) return;
    if (role.driver === 'guided') {
      this.guided = {role: role.name, turn: 'on', steps: guidedSteps(role, this.state.protocols, 'on')};
      this.changed();
      return;
    }
    void this.run(`Turning logging on for ${role.name}`, async () => {
      await this.saving;
      // A signal that came while the journal was being written: nothing more is switched on (the
      // shutdown still runs the role's disable, since its state says "turning on").
      if (this.shuttingDown) return;
      this.output[role.name] = [];
      const outcome = await runRoleCommand(role, 'enable', this.state.protocols, this.options.timings.commandTimeoutMs, line => this.showOutput(role.name, line));
      if (this.shuttingDown) await this.commit(outcome.ok ? {type: 'ROLE_TURNED_ON', role: role.name} : {type: 'ROLE_ON_FAILED', role: role.name, message: outcome.message ?? 'failed'});
      else this.send(outcome.ok ? {type: 'ROLE_TURNED_ON', role: role.name} : {type: 'ROLE_ON_FAILED', role: role.name, message: outcome.message ?? 'failed'});
    });
  }

  /** The shared turn-off loop; a guided role comes back here to ask the admin. */
  private async turnOff(): Promise<void> {
    const guided = await turnOffRoles(
      () => this.journal,
      event => this.commit(event),
      {guided: 'ask', onLine: (role, line) => this.showOutput(role, line)},
    );
    if (guided && !this.shuttingDown) {
      this.guided = {role: guided.name, turn: 'off', steps: guidedSteps(guided, this.state.protocols, 'off')};
      this.changed();
    }
  }

  private run(label: string, work: () => Promise<void>): Promise<void> {
    this.busy = label;
    this.changed();
    const running = (async () => {
      try {
        await work();
      } catch (error) {
        this.busy = undefined;
        this.send({type: 'FAILED', message: errorMessage(error)});
      } finally {
        if (this.busy === label) this.busy = undefined;
        this.inFlight = undefined;
        this.changed();
        this.pump();
      }
    })();
    this.inFlight = running;
    return running;
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
    // A ZIP (or temporary ZIP) left by a console that died while collecting is partial: only we write these names.
    await removeRunZip(this.options.stateDir, this.state.runId);
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

  private ensureWatcher(): void {
    if (this.watcher) return;
    this.watcher = new LocationWatcher(this.state.roles, this.clock.now, this.state.onSnapshot);
    this.watcher.subscribe(() => this.changed());
    this.watcher.start(this.options.watchIntervalMs ?? 1_000);
  }

  private watchdogProblem: string | undefined;

  /**
   * Signal, Ctrl-C, quit, a lost terminal or a crash: let the running command finish (it is bounded),
   * then the same turn-off loop turns every script role off; guided roles are recorded as pending.
   */
  private async shutdown(reason: string): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.guard.stopTicker();
    this.watcher?.stop();
    this.collectAbort?.abort();
    this.guided = undefined;
    await this.inFlight;
    await this.saving;
    if (!isEnded(this.state) && this.guard.holdsLock()) this.journal = {...this.journal, interrupted: {at: new Date(this.clock.now()).toISOString(), reason: describeShutdown(reason)}};
    if (onPhases.includes(this.state.phase) || this.state.phase === 'turningOff' || this.state.phase === 'stillLogging') {
      this.journal = await turnOffEverything(this.journal, 'signal', {
        stateDir: this.options.stateDir,
        now: this.clock.now,
        by: 'signal',
        onLine: (role, line) => this.options.onOutput?.(role, line),
        onJournalError: error => (this.notice = `The journal could not be written: ${errorMessage(error)}`),
      });
      recordOutcome(interruptedRunOutcome(this.journal.state.roles), {interrupted: true});
    } else {
      if (this.state.phase === 'collecting') recordOutcome('Troubleshooting logs: logging was off; collecting stopped, no ZIP', {interrupted: true});
      if (this.journal.interrupted) await writeJournal(this.options.stateDir, this.journal).catch(() => {});
    }
    if (!isLoggingMaybeOn(this.state)) this.guard.releaseLock();
    this.changed();
  }

  /** The run has ended: stop watching, record a finished run for the support bundle. */
  private finish(): void {
    this.guard.stopAll();
    this.watcher?.stop();
    if (!isLoggingMaybeOn(this.state)) this.guard.unregister();
    // Ended: the next run may start once the journal's last state is on disk.
    void this.saving.then(() => this.guard.releaseLock());
    const state = this.state;
    // Only finished runs keep a ZIP; a partial one (e.g. from a console that died while zipping) goes.
    if (state.phase !== 'finished' && !this.partialRemoved) {
      this.partialRemoved = true;
      void removeRunZip(this.options.stateDir, state.runId).catch(() => {});
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
    this.guard.stopAll();
    this.watcher?.stop();
    if (!isLoggingMaybeOn(this.state)) {
      this.guard.unregister();
      if (isEnded(this.state) || !onPhases.includes(this.state.phase)) void this.saving.then(() => this.guard.releaseLock());
    }
  }
}

/** Room for a few journals as big as this one (the snapshot of every file dominates), at least 128 KB. */
function reserveBytes(journal: Journal): number {
  return Math.max(128 * 1024, 4 * JSON.stringify(journal).length);
}

/** A shutdown reason in the words of the next start's notice. */
export function describeShutdown(reason: string): string {
  if (reason === 'SIGHUP' || reason.startsWith('terminal closed')) return 'terminal closed';
  if (reason === 'SIGINT') return 'Ctrl-C';
  if (reason === 'SIGTERM') return 'asked to stop (SIGTERM)';
  if (reason === 'quit') return 'the console was quit';
  return reason;
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
