import {join} from 'node:path';
import {errorMessage} from '../errors.js';
import type {HeldLock} from '../system/lock-file.js';
import {onShutdown} from '../system/shutdown.js';
import {heartbeatIntervalMs, isProcessAlive, logflowDir, writeHeartbeat} from './journal.js';
import {takeRunLock} from './run-lock.js';
import {readWatchdogRecord, startWatchdog as startDetachedWatchdog} from './watchdog.js';

export interface GuardOptions {
  stateDir: string;
  /** Starts the dead-man switch; returns its pid. Default: dist/watchdog.js, detached. */
  startWatchdog?: (stateDir: string, runId: string) => number | undefined;
  /** How long the watchdog has to acknowledge the run (write its record) before the run is refused. */
  watchdogAckMs?: number;
  /** Register the signal/quit handler (default true). */
  handleShutdown?: boolean;
  /** The shutdown work (turn logging off); bounded by shutdownLimitMs(). */
  onShutdown: (reason: string) => Promise<void>;
  shutdownLimitMs: () => number;
  tickMs?: number;
  onTick: () => void;
}

/**
 * Everything that keeps the "logging is never left on" promise around the flow driver: the run lock
 * and its heartbeat, the watchdog and its acknowledgement, the signal handler, and the countdown ticker.
 */
export class SafetyGuard {
  private lock: HeldLock | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private unregisterShutdown: (() => void) | undefined;
  watchdogPid: number | undefined;

  constructor(private readonly options: GuardOptions) {}

  holdsLock(): boolean {
    return this.lock !== undefined;
  }

  /** The run lock; undefined when taken, else the one-line problem. */
  async takeLock(runId: string): Promise<string | undefined> {
    if (this.lock) return undefined;
    const result = await takeRunLock(this.options.stateDir, `run ${runId}`);
    if ('problem' in result) return result.problem;
    this.lock = result.lock;
    return undefined;
  }

  /** Starts the watchdog and waits (bounded) until it has written its record for this run. */
  async armWatchdog(runId: string): Promise<string | undefined> {
    const start = this.options.startWatchdog ?? startDetachedWatchdog;
    let pid: number | undefined;
    try {
      pid = start(this.options.stateDir, runId);
    } catch (error) {
      return `The watchdog could not be started: ${errorMessage(error)}`;
    }
    if (pid === undefined) return 'The watchdog could not be started (dist/watchdog.js missing?).';
    const until = Date.now() + (this.options.watchdogAckMs ?? 10_000);
    for (;;) {
      const record = await readWatchdogRecord(this.options.stateDir, runId);
      if (record?.pid === pid) {
        this.watchdogPid = pid;
        return undefined;
      }
      if (!isProcessAlive(pid) && pid !== process.pid) return `The watchdog (process ${pid}) ended before it acknowledged the run; see ${join(logflowDir(this.options.stateDir), `watchdog-${runId}.log`)}.`;
      if (Date.now() >= until) {
        if (pid !== process.pid) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
        return `The watchdog (process ${pid}) did not acknowledge the run within ${Math.round((this.options.watchdogAckMs ?? 10_000) / 1000)} s.`;
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }

  /** Other processes (start-up, status, stop, the watchdog) tell a live owner from a dead pid by this. */
  /** Resolves once the first beat is on disk (the watchdog, started next, must see a live owner). */
  async startHeartbeat(runId: string): Promise<void> {
    if (this.heartbeat) return;
    // Real time on purpose: other processes compare it with their own clock.
    const beat = () => {
      try {
        this.lock?.beat();
      } catch {
        // A full disk must not stop the run; the lock is judged by its pid while this process lives.
      }
      return writeHeartbeat(this.options.stateDir, {pid: process.pid, runId, at: new Date().toISOString()}).catch(() => {});
    };
    this.heartbeat = setInterval(() => void beat(), heartbeatIntervalMs);
    this.heartbeat.unref();
    await beat();
  }

  stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** From the moment logging may go on: signals, quit and terminal loss run the shutdown path. */
  registerShutdown(): void {
    if (this.unregisterShutdown !== undefined || this.options.handleShutdown === false) return;
    this.unregisterShutdown = onShutdown(reason => this.options.onShutdown(reason), this.options.shutdownLimitMs);
  }

  unregister(): void {
    this.unregisterShutdown?.();
    this.unregisterShutdown = undefined;
  }

  ensureTicker(): void {
    if (this.ticker) return;
    // Not unref'd: the countdown must keep a non-interactive run alive.
    this.ticker = setInterval(() => this.options.onTick(), this.options.tickMs ?? 250);
  }

  stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  /** The run is over and logging is off: nothing left to guard. */
  releaseLock(): void {
    this.stopHeartbeat();
    try {
      this.lock?.release();
    } catch {
      // Left behind, it is stale as soon as this process ends.
    }
    this.lock = undefined;
  }

  stopAll(): void {
    this.stopTicker();
    this.stopHeartbeat();
  }
}
