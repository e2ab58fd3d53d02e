import {UsageError} from './errors.js';
import type {GlobalOptions} from './context.js';

export interface ParsedCommandLine {
  globals: GlobalOptions;
  help: boolean;
  version: boolean;
  /** The subcommand, when one was named. */
  command?: string;
  /** Everything after the subcommand, global options removed. */
  rest: string[];
}

const valueOptions: Record<string, keyof GlobalOptions> = {'--root': 'root', '--state-dir': 'stateDir'};

/**
 * Global options may stand before or after the subcommand; they are taken out wherever they are
 * (up to a `--`), so each subcommand only sees its own. --help after a subcommand is left to it.
 */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const globals: GlobalOptions = {};
  const rest: string[] = [];
  let command: string | undefined;
  let help = false;
  let version = false;
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    if (token === '--') {
      rest.push(...argv.slice(index));
      break;
    }
    const [flag, inlineValue] = token.startsWith('--') && token.includes('=') ? [token.slice(0, token.indexOf('=')), token.slice(token.indexOf('=') + 1)] : [token, undefined];
    const key = valueOptions[flag];
    if (key) {
      const value = inlineValue ?? argv[++index];
      if (value === undefined || value.length === 0 || (inlineValue === undefined && value.startsWith('--'))) throw new UsageError(`${flag} needs a folder, e.g. ${flag} /path/to/folder.`);
      (globals as Record<string, unknown>)[key] = value;
      continue;
    }
    if (token === '--ascii') globals.ascii = true;
    else if (token === '--no-color') globals.color = false;
    else if (command === undefined && (token === '--help' || token === '-h')) help = true;
    else if (command === undefined && (token === '--version' || token === '-V')) version = true;
    else if (command === undefined && !token.startsWith('-')) command = token;
    else if (command === undefined) throw new UsageError(`Unknown option ${token}. Run "nsp-console --help" for the options.`);
    else rest.push(token);
  }
  return {globals, help, version, command, rest};
}
