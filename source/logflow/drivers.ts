import {errorMessage} from '../errors.js';
import {MissingProgramError, runCommand} from '../system/exec.js';
import {expandCommand} from './roles.js';
import {protocolLabels, type Protocol, type RoleDefinition} from './types.js';

export interface CommandOutcome {
  ok: boolean;
  /** Why it failed, in one line for the admin. */
  message?: string;
  argv: string[];
}

/** Runs a script role's enable/disable command (argv, no shell) with a time-out; non-zero exit = failure. */
export async function runRoleCommand(
  role: RoleDefinition,
  which: 'enable' | 'disable',
  protocols: readonly Protocol[],
  timeoutMs: number,
  onLine?: (line: string) => void,
): Promise<CommandOutcome> {
  const command = role[which];
  if (role.driver !== 'script' || !command || command.length === 0) return {ok: false, message: `${role.name} has no "${which}" command.`, argv: []};
  const argv = expandCommand(command, {role: role.name, location: role.location, protocols});
  const [file, ...args] = argv as [string, ...string[]];
  try {
    const result = await runCommand(file, args, {timeoutMs, onLine: onLine ? line => onLine(line) : undefined});
    if (result.timedOut) return {ok: false, message: `"${which}" for ${role.name} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`, argv};
    if (result.exitCode !== 0) {
      const detail = (result.stderr.trim() || result.stdout.trim()).split(/\r?\n/).at(-1) ?? '';
      return {ok: false, message: `"${which}" for ${role.name} failed with exit code ${result.exitCode ?? 'none'}${detail ? `: ${detail}` : ''}.`, argv};
    }
    return {ok: true, argv};
  } catch (error) {
    const reason = error instanceof MissingProgramError ? error.message : errorMessage(error);
    return {ok: false, message: `"${which}" for ${role.name}: ${reason}`, argv};
  }
}

/** The exact steps for a guided role in the NoSpamProxy console (knowledge base, "Email delivery issues"). */
export function guidedSteps(role: Pick<RoleDefinition, 'name' | 'location'>, protocols: readonly Protocol[], turn: 'on' | 'off'): string[] {
  const common = ['In the NoSpamProxy console go to Troubleshooting > Log settings.', `Select the gateway role "${role.name}" and click Modify.`];
  if (turn === 'on') {
    return [
      ...common,
      'On the tab Log settings: enable logging,',
      `  set the location of the log file to ${role.location},`,
      `  activate the protocols: ${protocols.map(protocol => protocolLabels[protocol]).join(', ')}.`,
      'Save the settings.',
    ];
  }
  return [...common, 'On the tab Log settings: disable logging.', 'Save the settings.'];
}
