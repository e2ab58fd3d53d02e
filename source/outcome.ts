/**
 * What the interactive session did, told in one line after the console has left the alternate
 * screen (the screens are gone by then), and whether a run was cut short (the exit code says so).
 */
export interface SessionOutcome {
  lines: readonly string[];
  /** A run (log flow, bundle, service change) was stopped before it finished. */
  interrupted: boolean;
}

let lines: string[] = [];
let interrupted = false;

/** Records what happened; the same line twice is kept once. */
export function recordOutcome(line: string, options: {interrupted?: boolean} = {}): void {
  if (!lines.includes(line)) lines.push(line);
  if (options.interrupted) interrupted = true;
}

export function sessionOutcome(): SessionOutcome {
  return {lines: [...lines], interrupted};
}

/** The line printed after exit. */
export function outcomeLine(outcome: SessionOutcome = sessionOutcome()): string {
  if (outcome.lines.length === 0) return 'nsp-console: closed; nothing was changed or left running.';
  return `nsp-console: ${outcome.lines.join('; ')}`;
}

/** For tests. */
export function resetOutcomeForTests(): void {
  lines = [];
  interrupted = false;
}
