/**
 * Work that must happen before the process exits, whatever ends it: Ctrl-C in the console,
 * SIGINT, SIGTERM, SIGHUP from a dropped SSH session, a terminal that is gone (EIO/EPIPE on its
 * streams), or a crash. (The log flow registers "turn logging off".)
 */
export type ShutdownHandler = (reason: string) => Promise<void> | void;

const defaultLimitMs = 30_000;
const handlers = new Map<ShutdownHandler, () => number>();
let installed = false;
let running: Promise<void> | undefined;
let lastReason: string | undefined;

/** `timeLimitMs` may grow with the work (e.g. one command time-out per role). */
export function onShutdown(handler: ShutdownHandler, timeLimitMs: () => number = () => defaultLimitMs): () => void {
  handlers.set(handler, timeLimitMs);
  return () => handlers.delete(handler);
}

/** Why the process is shutting down (the first reason), for the journal and the next start. */
export function shutdownReason(): string | undefined {
  return lastReason;
}

/** Runs every handler once (in parallel, each bounded by its time limit). Safe to call repeatedly. */
export function runShutdownHandlers(reason: string): Promise<void> {
  lastReason ??= reason;
  running ??= Promise.all(
    [...handlers].map(([handler, limit]) =>
      Promise.race([
        Promise.resolve()
          .then(() => handler(reason))
          .catch(() => {}),
        new Promise<void>(resolve => setTimeout(resolve, limit()).unref()),
      ]),
    ),
  ).then(() => {});
  return running;
}

/** For tests: forget handlers and the finished run. */
export function resetShutdownForTests(): void {
  handlers.clear();
  running = undefined;
  lastReason = undefined;
}

const terminalErrors = new Set(['EIO', 'EPIPE', 'ENXIO', 'EBADF', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

/** An error that means the terminal (or the reader of our output) is gone. */
export function isTerminalLoss(error: unknown): boolean {
  return terminalErrors.has((error as NodeJS.ErrnoException)?.code ?? '');
}

let silenced = false;

/** Nothing more is written to a terminal that is gone: rendering stops, and writes cannot throw. */
export function silenceOutput(): void {
  if (silenced) return;
  silenced = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = ((_chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof stream.write;
    stream.on('error', () => {});
  }
}

let ending = false;

/** The one way out after a signal, a lost terminal or a crash: handlers (bounded), restore, exit. */
export function shutdownAndExit(reason: string, exitCode: number, restoreTerminal: () => void = () => {}): void {
  if (ending) return;
  ending = true;
  void runShutdownHandlers(reason).finally(() => {
    try {
      restoreTerminal();
    } catch {
      // The terminal is gone; nothing to restore.
    }
    process.exit(exitCode);
  });
}

let restore: () => void = () => {};

/**
 * Installs, once: SIGINT/SIGTERM/SIGHUP, a lost terminal (errors on stdin/stdout/stderr, stdin
 * closing in the interactive console) and uncaught errors all run the shutdown handlers first.
 */
export function installSignalHandlers(restoreTerminal: () => void, options: {interactive?: boolean} = {}): void {
  restore = restoreTerminal;
  if (installed) return;
  installed = true;
  const exitCodes: Record<string, number> = {SIGINT: 130, SIGTERM: 143, SIGHUP: 129};
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      // A hang-up means the terminal is gone: drawing to it could only fail.
      if (signal === 'SIGHUP') silenceOutput();
      shutdownAndExit(signal, exitCodes[signal]!, () => restore());
    });
  }
  const lost = (error: unknown) => {
    silenceOutput();
    const code = (error as NodeJS.ErrnoException)?.code;
    // A closed pipe (`... | head`) is a normal end of output; a terminal that is gone is a hang-up.
    shutdownAndExit(`terminal closed (${code ?? 'closed'})`, code === 'EPIPE' ? (process.exitCode as number | undefined) ?? 0 : 129, () => restore());
  };
  process.stdout.on('error', lost);
  process.stderr.on('error', lost);
  process.stdin.on('error', lost);
  if (options.interactive) {
    // A closed pty ends stdin; in the interactive console nothing else would notice.
    process.stdin.on('end', () => lost({code: 'EIO'}));
  }
  process.on('uncaughtException', error => {
    if (isTerminalLoss(error)) return lost(error);
    try {
      process.stderr.write(`nsp-console: unexpected error: ${error.stack ?? error.message}\n`);
    } catch {
      // Output is gone too.
    }
    shutdownAndExit(`crashed: ${error.message}`, 3, () => restore());
  });
  process.on('unhandledRejection', reason => {
    if (isTerminalLoss(reason)) return lost(reason);
    try {
      process.stderr.write(`nsp-console: unexpected error: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
    } catch {
      // Output is gone too.
    }
    shutdownAndExit('crashed', 3, () => restore());
  });
}
