import {createContext, type ConsoleContext} from './context.js';
import {errorMessage, ExitCode, UsageError} from './errors.js';
import {parseCommandLine} from './global-args.js';
import {findSubcommand, subcommandEntries} from './commands/registry.js';
import type {CommandIo} from './commands/types.js';
import {maskedWritable} from './system/masked-output.js';
import {toolName, toolVersion} from './version.js';

export const mainHelp = `${toolName} ${toolVersion}: a terminal console for NoSpamProxy administrators.

Usage:
  nsp-console [global options]                 open the interactive console (needs a terminal)
  nsp-console <command> [options] [--json]     run one capability non-interactively
  nsp-console <command> --help                 help for one command

Commands:
${subcommandEntries.map(entry => `  ${entry.name.padEnd(11)}${entry.summary}`).join('\n')}

Global options (before or after the command):
  --root <dir>        NoSpamProxy data folder            (env NSP_ROOT)
                      default on Windows: %ProgramData%\\Net at Work Mail Gateway;
                      elsewhere, or when it does not exist: the demo sandbox
  --state-dir <dir>   settings, journal and output       (env NSP_CONSOLE_STATE_DIR)
                      default: %LOCALAPPDATA%\\nsp-console or $XDG_STATE_HOME/nsp-console
  --ascii             draw with plain ASCII (for conhost) (env NSP_CONSOLE_ASCII=1)
  --no-color          no colours                          (env NO_COLOR)
  -h, --help          this help
  -V, --version       the version

Exit codes: 0 success, 1 done but nothing found / check failed, 2 bad usage or input,
3 operational failure (service, network, file).`;

export const noTerminalMessage =
  'nsp-console: the interactive console needs a terminal on stdin and stdout; run "nsp-console --help" for the non-interactive commands (logflow, keyserver, proxy, bundle, recipe, info).\n';

export interface MainIo extends CommandIo {
  stdinIsTTY: boolean;
}

/** Parses the command line and runs a subcommand or the interactive console; returns the exit code. */
export async function main(argv: readonly string[], rawIo: MainIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Everything a command prints, its errors included, passes the secret mask.
  const io: MainIo = {...rawIo, stdout: maskedWritable(rawIo.stdout), stderr: maskedWritable(rawIo.stderr)};
  try {
    const line = parseCommandLine(argv);
    if (line.version) {
      io.stdout.write(`${toolVersion}\n`);
      return ExitCode.ok;
    }
    if (line.help) {
      io.stdout.write(`${mainHelp}\n`);
      return ExitCode.ok;
    }
    if (line.command === undefined) {
      if (!io.stdinIsTTY || !io.isTTY) {
        io.stderr.write(noTerminalMessage);
        return ExitCode.usage;
      }
      const context = await createContext(line.globals, env);
      const {runInteractive} = await import('../components/run-interactive.js');
      return await runInteractive(context);
    }
    const entry = findSubcommand(line.command);
    if (!entry) throw new UsageError(`Unknown command "${line.command}". Commands: ${subcommandEntries.map(e => e.name).join(', ')}. Run "nsp-console --help".`);
    const command = await entry.load();
    if (line.rest.includes('--help') || line.rest.includes('-h')) {
      const words = line.rest.filter(word => !word.startsWith('-'));
      io.stdout.write(`${command.helpFor?.(words) ?? command.help}\n`);
      return ExitCode.ok;
    }
    const context: ConsoleContext = await createContext(line.globals, env);
    if (context.stateDirNote) io.stderr.write(`nsp-console: NOTE: ${context.stateDirNote}\n`);
    // Once per interrupted log-flow run: what happened (e.g. the watchdog turned logging off).
    const {lastRunNotice} = await import('./logflow/last-run.js');
    const notice = await lastRunNotice(context.stateDir);
    if (notice) io.stderr.write(`nsp-console: ${notice}\n`);
    return await command.run(line.rest, context, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`nsp-console: ${error.message}\n`);
      return ExitCode.usage;
    }
    io.stderr.write(`nsp-console: ${errorMessage(error)}\n`);
    return ExitCode.operational;
  }
}
