/**
 * Work that must happen before the process exits, whatever ends it: Ctrl-C in the console,
 * SIGINT, SIGTERM, or SIGHUP from a dropped SSH session. (The log flow registers "turn logging off".)
 */
export type ShutdownHandler = (reason: string) => Promise<void> | void;

const handlers = new Set<ShutdownHandler>();
let installed = false;
let running: Promise<void> | undefined;

export function onShutdown(handler: ShutdownHandler): () => void {
  handlers.add(handler);
  return () => handlers.delete(handler);
}

/** Runs every handler once (in parallel, each bounded by the time limit). Safe to call repeatedly. */
export function runShutdownHandlers(reason: string, timeLimitMs = 30_000): Promise<void> {
  running ??= Promise.all(
    [...handlers].map(handler =>
      Promise.race([
        Promise.resolve()
          .then(() => handler(reason))
          .catch(() => {}),
        new Promise<void>(resolve => setTimeout(resolve, timeLimitMs).unref()),
      ]),
    ),
  ).then(() => {});
  return running;
}

/** For tests: forget handlers and the finished run. */
export function resetShutdownForTests(): void {
  handlers.clear();
  running = undefined;
}

/** Installs the signal handlers once: run the handlers, restore the terminal, then exit. */
export function installSignalHandlers(restoreTerminal: () => void): void {
  if (installed) return;
  installed = true;
  const exitCodes: Record<string, number> = {SIGINT: 130, SIGTERM: 143, SIGHUP: 129};
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      void runShutdownHandlers(signal).finally(() => {
        restoreTerminal();
        // After a signal the exit code is the signal's, whatever was running.
        process.exit(exitCodes[signal]);
      });
    });
  }
}
