import {parseCommandArgs, writeJson} from '../../commands/parse.js';
import type {CommandIo} from '../../commands/types.js';
import type {ConsoleContext} from '../../context.js';
import {ExitCode, UsageError} from '../../errors.js';
import {readAnswerLine, stdinIsTerminal} from '../../commands/confirm.js';
import {confirm, writeLines} from '../cli-io.js';
import {assess, parseScenarios, restartNote, scenarioLabels, type Assessment, type Scenario} from './assessment.js';
import {applyFixes, defaultHostNames, parseHostNames} from './webportal-check.js';
import {readAllRegistryValues, registryValues, type RegistryReading, type ValueId} from './registry-values.js';

export const webportalHelp = `Usage:
  nsp-console recipe webportal-check [--scenario same-system|outside-domain|both]
                                     [--host-names <name,name>] [--fix [--yes]] [--json]

Reads (with "reg query") the registry values the WebPortal integration needs and says what is
missing for your scenario:
  same-system     WebPortal on the same system as the gateway and/or intranet role: KB926642
                  method 1 (recommended) HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\MSV1_0
                  BackConnectionHostNames (multi-string, the host names used) and, for
                  an alias name (not this computer's own), HKLM\\SYSTEM\\CurrentControlSet\\
                  Services\\LanmanServer\\Parameters DisableStrictNameChecking = 1; or method 2
                  HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa DisableLoopbackCheck = 1
                  (test systems only: it lowers security; never set by this command)
  outside-domain  WebPortal in the DMZ / outside the domain: KB951016
                  HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System
                  LocalAccountTokenFilterPolicy = 1
  both            both checks

Options:
  --scenario <s>        which scenario applies (asked when omitted on a terminal; both otherwise)
  --host-names <list>   host names for BackConnectionHostNames, comma-separated
                        (default: this computer's name)
  --fix                 set the recommended values with "reg add" after confirmation
                        (existing host names are kept); a restart is required afterwards
  --yes                 confirm --fix without asking
  --json                machine-readable result (no questions; --scenario defaults to both)

Nothing is changed without --fix and a confirmation. Needs Windows ("reg"); elsewhere it says so.
Exit codes: 0 everything needed is in place, 1 something is missing, 2 bad usage, 3 reg missing
or failing.`;

export async function runWebportalCommand(args: string[], context: ConsoleContext, io: CommandIo): Promise<number> {
  const {values, positionals} = parseCommandArgs(args, {scenario: {type: 'string'}, 'host-names': {type: 'string'}, fix: {type: 'boolean'}, yes: {type: 'boolean'}, json: {type: 'boolean'}});
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}". Run "nsp-console recipe webportal-check --help".`);
  const json = values.json === true;
  if (json && values.fix && !values.yes) throw new UsageError('--fix with --json needs --yes (no questions are asked in JSON mode).');
  let hostNames: string[];
  try {
    hostNames = values['host-names'] !== undefined ? parseHostNames(values['host-names']) : defaultHostNames(context);
  } catch (error) {
    throw new UsageError(`--host-names: ${(error as Error).message}`);
  }
  let scenarios: Scenario[];
  try {
    scenarios = values.scenario !== undefined ? parseScenarios(values.scenario) : json ? parseScenarios('both') : await askScenario(io);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--scenario: ${(error as Error).message}`);
  }
  const readings = await readAllRegistryValues();
  let assessment = assess(scenarios, readings, hostNames, context.hostName);
  if (!json) writeAssessment(io, readings, assessment);

  let applied: {description: string; ok: boolean; message?: string}[] = [];
  if (values.fix && assessment.fixes.length > 0) {
    if (!json) writeLines(io.stdout, ['', 'Will run:', ...assessment.fixes.map(fix => `  reg ${fix.args.join(' ')}`)]);
    if (!(await confirm(io, 'Make these registry changes?', values.yes === true))) {
      io.stdout.write('Not confirmed: nothing was changed.\n');
      return ExitCode.nothingFound;
    }
    applied = await applyFixes(assessment.fixes);
    for (const step of applied) if (!json) io.stdout.write(`[${step.ok ? 'done' : 'FAILED'}] ${step.description}${step.message ? `: ${step.message}` : ''}\n`);
    const after = await readAllRegistryValues();
    assessment = assess(scenarios, after, hostNames, context.hostName);
    if (!json) writeLines(io.stdout, ['', 'After the change:', ...assessment.findings.map(formatFinding), '', restartNote]);
  } else if (!values.fix && assessment.fixes.length > 0 && !json) {
    writeLines(io.stdout, ['', 'To set the recommended values (after confirmation): add --fix.']);
  }
  const missing = assessment.findings.some(finding => finding.status === 'missing' || finding.status === 'unknown');
  if (json) {
    writeJson(io.stdout, {
      scenarios,
      hostNames,
      values: Object.values(readings).map(reading => ({...describeValue(reading.id), present: reading.present, type: reading.type ?? null, data: reading.data ?? null, error: reading.error ?? null})),
      findings: assessment.findings,
      fixes: assessment.fixes.map(fix => ({description: fix.description, command: ['reg', ...fix.args]})),
      applied,
      restartRequired: applied.some(step => step.ok) || assessment.restartRequired,
      ok: !missing,
    });
  }
  return missing ? ExitCode.nothingFound : ExitCode.ok;
}

function describeValue(id: ValueId) {
  const spec = registryValues[id];
  return {id, key: spec.key, name: spec.name, expectedType: spec.type, article: spec.article};
}

async function askScenario(io: CommandIo): Promise<Scenario[]> {
  if (!stdinIsTerminal(io)) return parseScenarios('both');
  writeLines(io.stdout, ['Which scenario applies?', `  1  ${scenarioLabels['same-system']}`, `  2  ${scenarioLabels['outside-domain']}`, '  3  both']);
  io.stdout.write('Choice [1-3]: ');
  const answer = (await readAnswerLine(io.stdin)) ?? '';
  const choice = answer.trim();
  if (choice === '1') return ['same-system'];
  if (choice === '2') return ['outside-domain'];
  if (choice === '3') return ['same-system', 'outside-domain'];
  throw new UsageError(`"${choice}" is not 1, 2 or 3. Or give --scenario same-system|outside-domain|both.`);
}

function formatFinding(finding: Assessment['findings'][number]): string {
  const mark = {ok: 'ok', warning: 'WARN', missing: 'MISSING', unknown: '??'}[finding.status];
  return `  [${mark}] ${finding.article}: ${finding.message}`;
}

function writeAssessment(io: CommandIo, readings: Record<ValueId, RegistryReading>, assessment: Assessment): void {
  writeLines(io.stdout, [
    'Registry values:',
    ...Object.values(readings).map(reading => {
      const spec = registryValues[reading.id];
      const shown = reading.present ? `${reading.type} ${(reading.data ?? []).join(', ') || '(empty)'}` : reading.error ? `unreadable: ${reading.error}` : 'not set';
      return `  ${spec.name} = ${shown}\n      ${spec.key} (${spec.article}, ${spec.purpose})`;
    }),
    '',
    `For: ${assessment.scenarios.map(scenario => scenarioLabels[scenario]).join('; ')}`,
    ...assessment.findings.map(formatFinding),
    ...(assessment.fixes.length > 0 ? ['', 'Recommended:', ...assessment.fixes.map(fix => `  ${fix.description}`), `  ${restartNote}`] : []),
  ]);
}
