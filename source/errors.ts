/** Exit codes shared by every subcommand (documented in the README). */
export const ExitCode = {
  ok: 0,
  /** Done, but nothing found or a check failed. */
  nothingFound: 1,
  /** Bad usage or bad input. */
  usage: 2,
  /** Operational failure: service, network, file. */
  operational: 3,
  /** The interactive console was left (Ctrl-C, q, a signal) while a run was still going (like a shell's Ctrl-C). */
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad usage or bad input: the message is shown as-is and the exit code is 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Something outside our control failed (service, network, file): exit code 3. */
export class OperationalError extends Error {
  override name = 'OperationalError';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
