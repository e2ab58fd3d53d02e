import type {ConsoleContext} from '../context.js';

/** Where a subcommand reads and writes; tests pass their own streams. */
export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  /** True when stdout is a terminal (progress bars, colours). */
  isTTY: boolean;
}

/** A non-interactive capability: `nsp-console <name> …`. */
export interface Subcommand {
  name: string;
  /** Full help text, shown for `nsp-console <name> --help`. */
  help: string;
  /** Help for a sub-command (`nsp-console recipe tcp-tunnel --help`); `args` are the words before --help. */
  helpFor?(args: string[]): string | undefined;
  /** Returns the exit code (see ExitCode); throw UsageError / OperationalError for 2 / 3. */
  run(args: string[], context: ConsoleContext, io: CommandIo): Promise<number>;
}
