import {copyFile, stat} from 'node:fs/promises';
import {dirname, isAbsolute, resolve} from 'node:path';
import {parseCommandArgs, writeJson} from '../commands/parse.js';
import {readAnswerLine, stdinIsTerminal} from '../commands/confirm.js';
import type {Subcommand} from '../commands/types.js';
import type {ConsoleContext} from '../context.js';
import {ExitCode, OperationalError, UsageError} from '../errors.js';
import {loadSettings} from '../settings.js';
import {installSignalHandlers} from '../system/shutdown.js';
import {formatBytes} from '../archive/zip-writer.js';
import {offerCleanup} from './cleanup-offer.js';
import {isUncPath, unreachableGuidance} from './location-reach.js';
import {LogflowController} from './controller.js';
import {guidedSteps} from './drivers.js';
import {isOwnerAlive, isProcessAlive, readHeartbeat, readJournal} from './journal.js';
import {takeRunLock} from './run-lock.js';
import {isEnded, isLoggingMaybeOn, type FlowState} from './machine.js';
import {parseWait, timingsFromSettings} from './options.js';
import {loadRoles, pickRoles} from './roles.js';
import {needsRecovery, runningElsewhere, statusFromJournal} from './status.js';
import {turnOffEverything} from './transition.js';
import {allProtocols, type Protocol} from './types.js';
import {formatClock} from './format.js';

export const logflowHelp = `Usage:
  nsp-console logflow run --role <name> [--role <name>...] [--protocols <list>] [--location <dir>]
                          [--wait <duration>] [--out <zip>] [--yes]
  nsp-console logflow status [--json]
  nsp-console logflow stop

The knowledge base's "Email delivery issues" procedure: turn troubleshooting logging on per gateway
role, reproduce the problem, wait (5 minutes by default), turn logging off, zip what was written.
Logging is never left on: every abort, error or signal goes through "logging off"; a detached
watchdog turns it off at the deadline plus a grace period if this process dies.

run       the whole flow for "script" roles (settings.json "roles"); "guided" roles are refused
          (use the interactive console for them). Prints progress lines.
  --role <name>        a gateway role from settings.json "roles" (repeatable, at least one)
  --protocols <list>   comma-separated, from ${allProtocols.join(',')} (default: all four)
  --location <dir>     log location for every chosen role (default: each role's "location")
  --wait <duration>    countdown after reproducing, e.g. 30s, 5m (default: settings
                       "logflow.wait" or 5m)
  --out <zip>          also copy the ZIP here (must not exist); the ZIP itself is always
                       <state-dir>/output/logflow-<run-id>.zip
  --yes                do not wait for Enter after "reproduce the problem now" (needed when
                       standard input is not a terminal)
status    whether logging is on, for which roles, since when, the deadline, the journal's state.
  --json               {"loggingOn", "state", "roles": [{"name", "loggingOn"}], "since", "deadline"}
stop      turns logging off for every role the journal says is on (a running flow is asked to
          stop first). Idempotent.

Exit codes: 0 ok (stop: logging is off); 1 stop: a guided role must still be turned off by hand;
2 bad usage or input (unknown role, guided role, bad duration); 3 a command failed, logging could
not be verified off, or a flow is already running.`;

export const logflowCommand: Subcommand = {
  name: 'logflow',
  help: logflowHelp,
  async run(args, context, io) {
    const [action, ...rest] = args;
    if (action === 'run') return runFlow(rest, context, io);
    if (action === 'status') return status(rest, context, io);
    if (action === 'stop') return stop(rest, context, io);
    throw new UsageError(action ? `Unknown logflow action "${action}"; use run, status or stop.` : 'Say what to do: logflow run, logflow status or logflow stop (see --help).');
  },
};

type Io = Parameters<Subcommand['run']>[2];

export function parseProtocols(text: string): Protocol[] {
  const chosen: Protocol[] = [];
  for (const part of text.split(',').map(item => item.trim()).filter(Boolean)) {
    const match = allProtocols.find(protocol => protocol.toLowerCase() === part.toLowerCase().replace(/[\s_-]/g, ''));
    if (!match) throw new UsageError(`Unknown protocol "${part}"; use a comma-separated list of ${allProtocols.join(', ')}.`);
    if (!chosen.includes(match)) chosen.push(match);
  }
  if (chosen.length === 0) throw new UsageError('--protocols needs at least one protocol.');
  return allProtocols.filter(protocol => chosen.includes(protocol));
}

async function status(args: string[], context: ConsoleContext, io: Io): Promise<number> {
  const {values} = parseCommandArgs(args, {json: {type: 'boolean'}}, false);
  const journal = await readJournal(context.stateDir);
  const result = statusFromJournal(journal);
  if (values.json) {
    writeJson(io.stdout, result);
    return ExitCode.ok;
  }
  if (!journal) {
    io.stdout.write('Logging: off (no troubleshooting-log run recorded yet).\n');
    return ExitCode.ok;
  }
  io.stdout.write(`Logging: ${result.loggingOn ? 'ON' : 'off'}    run ${journal.state.runId}, state ${result.state}\n`);
  for (const role of journal.state.roles) io.stdout.write(`  ${role.name}: ${role.logging}${role.problem ? ` (${role.problem})` : ''}\n`);
  if (result.since) io.stdout.write(`Since: ${result.since}\n`);
  if (result.loggingOn && journal.watchdogPid) io.stdout.write(`Watchdog: process ${journal.watchdogPid} (${isProcessAlive(journal.watchdogPid) ? 'running' : 'not running'}), acts at the deadline + ${Math.round(journal.watchdogGraceMs / 1000)} s\n`);
  if (result.deadline) io.stdout.write(`Deadline: ${result.deadline}\n`);
  if (result.loggingOn) {
    const owner = isOwnerAlive(context.stateDir, journal) ? `running in process ${journal.ownerPid}` : 'its console is gone';
    io.stdout.write(`The flow is ${owner}. Turn logging off with: nsp-console logflow stop\n`);
  }
  return ExitCode.ok;
}

async function stop(args: string[], context: ConsoleContext, io: Io): Promise<number> {
  parseCommandArgs(args, {}, false);
  let journal = await readJournal(context.stateDir);
  if (!journal || !isLoggingMaybeOn(journal.state)) {
    io.stdout.write('Logging is off; nothing to do.\n');
    return ExitCode.ok;
  }
  if (runningElsewhere(journal, context.stateDir)) {
    // The running flow turns logging off itself on SIGTERM (and journals it); writing the journal
    // behind its back would be overwritten by it.
    io.stdout.write(`Asking the running flow (process ${journal.ownerPid}) to turn logging off...\n`);
    process.kill(journal.ownerPid, 'SIGTERM');
    const until = Date.now() + journal.commandTimeoutMs * Math.max(1, journal.state.roles.length) + 5_000;
    while (isProcessAlive(journal.ownerPid) && Date.now() < until) await new Promise(resolve => setTimeout(resolve, 100));
    journal = (await readJournal(context.stateDir))!;
  }
  if (isLoggingMaybeOn(journal.state) && journal.state.roles.some(role => role.logging !== 'pendingManualOff' && role.logging !== 'off' && role.logging !== 'neverOn')) {
    // The run's console is gone: its lock is stale and becomes ours while we turn logging off.
    const taken = await takeRunLock(context.stateDir, `stop of run ${journal.state.runId}`);
    if ('problem' in taken) throw new OperationalError(taken.problem);
    try {
      const heartbeat = readHeartbeat(context.stateDir);
      const interrupted = journal.interrupted ?? {at: heartbeat?.pid === journal.ownerPid ? heartbeat.at : new Date().toISOString(), reason: 'the console ended without turning logging off'};
      journal = await turnOffEverything({...journal, interrupted}, 'stop', {
        stateDir: context.stateDir,
        now: Date.now,
        by: 'command',
        onLine: (role, line) => io.stdout.write(`  ${role}: ${line}\n`),
        onJournalError: error => io.stderr.write(`The journal could not be written: ${(error as Error).message}\n`),
      });
    } finally {
      taken.lock.release();
    }
  }
  let code: number = ExitCode.ok;
  for (const role of journal.state.roles) {
    if (role.logging === 'off' || role.logging === 'neverOn') io.stdout.write(`${role.name}: logging off\n`);
    else if (role.logging === 'pendingManualOff') {
      io.stdout.write(`${role.name}: a guided role; turn logging off by hand:\n${guidedSteps(role, journal.state.protocols, 'off').map(step => `    ${step}`).join('\n')}\n`);
      code = Math.max(code, ExitCode.nothingFound);
    } else {
      io.stderr.write(`${role.name}: LOGGING MAY STILL BE ON: ${role.problem ?? role.logging}\n`);
      code = ExitCode.operational;
    }
  }
  return code;
}

async function runFlow(args: string[], context: ConsoleContext, io: Io): Promise<number> {
  const {values, positionals} = parseCommandArgs(
    args,
    {
      role: {type: 'string', multiple: true},
      protocols: {type: 'string'},
      location: {type: 'string'},
      wait: {type: 'string'},
      out: {type: 'string'},
      yes: {type: 'boolean'},
    },
    false,
  );
  void positionals;
  if (!values.role || values.role.length === 0) throw new UsageError('Name at least one role: logflow run --role <name> (roles are in settings.json "roles").');
  const timings = timingsFromSettings(await loadSettings(context.stateDir));
  if (values.wait !== undefined) timings.waitMs = parseWait(values.wait);
  if (values.location !== undefined && !isAbsolute(values.location)) throw new UsageError(`--location ${values.location} is not a full path (like D:\\NSP-Logs); a relative folder would be made below wherever the console was started.`);
  const protocols = values.protocols !== undefined ? parseProtocols(values.protocols) : [...allProtocols];
  const {roles: known} = await loadRoles(context);
  const chosen = pickRoles(known, values.role).map(role => (values.location !== undefined ? {...role, location: resolve(values.location)} : role));
  const guided = chosen.filter(role => role.driver === 'guided');
  if (guided.length > 0) {
    throw new UsageError(`${guided.map(role => `"${role.name}"`).join(', ')} ${guided.length === 1 ? 'is a guided role' : 'are guided roles'}: logging is switched by hand in the NoSpamProxy console, so run the flow interactively (nsp-console, "Troubleshooting logs"), or give the role "script" commands in settings.json.`);
  }
  const out = values.out === undefined ? undefined : resolve(values.out);
  if (out) {
    if (await stat(out).then(() => true, () => false)) throw new UsageError(`--out ${out} already exists; choose another name (it is never overwritten).`);
    if (!(await stat(dirname(out)).then(info => info.isDirectory(), () => false))) throw new UsageError(`--out: the folder ${dirname(out)} does not exist.`);
  }
  if (!values.yes && !stdinIsTerminal(io)) throw new UsageError('Standard input is not a terminal, so nobody can confirm "problem reproduced": pass --yes to start the countdown right after logging is on.');
  const journal = await readJournal(context.stateDir);
  if (runningElsewhere(journal, context.stateDir)) throw new OperationalError(`A troubleshooting-log flow is already running in process ${journal!.ownerPid}; see "nsp-console logflow status".`);
  if (needsRecovery(journal, context.stateDir) && isLoggingMaybeOn(journal!.state)) throw new OperationalError(`The journal says logging is still on for run ${journal!.state.runId} (${journal!.state.roles.filter(role => role.logging !== 'off').map(role => role.name).join(', ')}); turn it off first: nsp-console logflow stop`);

  installSignalHandlers(() => {});
  const say = (line: string) => io.stdout.write(`${line}\n`);
  const controller = new LogflowController({stateDir: context.stateDir, timings, by: 'command', onOutput: (role, line) => say(`  ${role}> ${line}`)});
  let lastPhase = '';
  let lastReport = 0;
  const warnedMissing = new Set<string>();
  let lastNotice: string | undefined;
  const ended = new Promise<FlowState>(resolveEnd => {
    const check = () => {
      const view = controller.getView();
      const state = view.state;
      const notice = view.watchdogProblem ?? view.notice;
      if (notice && notice !== lastNotice) say(`  NOTE: ${notice}`);
      lastNotice = notice;
      for (const activity of view.activity) {
        if (activity.missing && !warnedMissing.has(activity.role)) {
          warnedMissing.add(activity.role);
          say(missingLocationWarning(activity.role, chosen.find(role => role.name === activity.role)?.location ?? ''));
        } else if (!activity.missing) warnedMissing.delete(activity.role);
      }
      if (state.phase !== lastPhase) {
        lastPhase = state.phase;
        say(describePhase(state));
      }
      if (state.phase === 'countingDown') {
        const now = Date.now();
        if (now - lastReport >= 10_000) {
          lastReport = now;
          const written = view.activity.map(activity => `${activity.role} +${formatBytes(activity.bytesSinceStart)}`).join(', ');
          say(`  ${formatClock(controller.remainingMs())} left${written ? `; written: ${written}` : ''}`);
        }
      }
      if (isEnded(state) || state.phase === 'stillLogging') resolveEnd(state);
    };
    controller.subscribe(check);
  });
  say(`Run ${controller.state.runId}: roles ${chosen.map(role => role.name).join(', ')}; protocols ${protocols.join(',')}; wait ${formatClock(timings.waitMs)}`);
  controller.chooseRoles(chosen);
  if (!(await controller.confirmSettings(protocols, chosen))) {
    const view = controller.getView();
    const problem = view.refusal?.message ?? view.notice ?? 'the settings were refused';
    controller.abort();
    await controller.flushed();
    controller.dispose();
    // Nothing was switched on; a broken safety promise (lock, journal, watchdog) is exit 3.
    if (view.refusal?.kind === 'operational') throw new OperationalError(problem);
    throw new UsageError(problem);
  }
  // Step 4: wait for activity, or say plainly that nothing is written.
  await waitFor(controller, state => state.phase !== 'verifyingOn' && state.phase !== 'turningOn', timings.quietWarningMs, () => {
    const view = controller.getView();
    return view.state.phase === 'verifyingOn' && view.activity.length > 0 && view.activity.every(activity => activity.bytesSinceStart > 0);
  });
  if (controller.state.phase === 'verifyingOn') {
    for (const activity of controller.getView().activity) {
      if (activity.missing) continue;
      if (activity.bytesSinceStart === 0) say(`  WARNING ${activity.role}: nothing written after ${formatClock(timings.quietWarningMs)} (logging may not be on, or nothing is happening yet).`);
      else say(`  ${activity.role}: ${activity.files} files, ${formatBytes(activity.bytesSinceStart)} written so far.`);
    }
    controller.confirmActivity();
  }
  if (controller.state.phase === 'reproducing') {
    if (values.yes) controller.reproduced();
    else {
      say('Reproduce the problem now, then press Enter to start the countdown.');
      await readAnswerLine(io.stdin);
      controller.reproduced();
    }
  }
  let final = await ended;
  if (final.phase === 'stillLogging') {
    say(`WARNING: ${final.growing?.join(', ') || 'a role'} may still be logging; trying to turn it off once more.`);
    const again = new Promise<FlowState>(resolveAgain => controller.subscribe(() => {
      const state = controller.state;
      if (isEnded(state) || (state.phase === 'stillLogging' && state !== final)) resolveAgain(state);
    }));
    controller.retryOff();
    final = await again;
  }
  await controller.flushed();
  controller.dispose();
  if (final.phase === 'stillLogging') {
    io.stderr.write(`LOGGING IS STILL ON for ${final.roles.filter(role => role.logging === 'offFailed').map(role => `${role.name} (${role.problem ?? 'off failed'})`).join(', ')}.\nTurn it off by hand, then run: nsp-console logflow stop\nThe watchdog will try again at the deadline plus ${Math.round(timings.watchdogGraceMs / 1000)} s.\n`);
    return ExitCode.operational;
  }
  if (final.phase !== 'finished' || !final.zipPath) {
    io.stderr.write(`Logging is off. The run did not finish: ${final.error ?? final.phase}\n`);
    return ExitCode.operational;
  }
  say(`ZIP: ${final.zipPath} (${formatBytes(final.zipBytes ?? 0)})`);
  if (out) {
    await copyFile(final.zipPath, out, 1 /* COPYFILE_EXCL */);
    say(`Copied to ${out}`);
  }
  await offerCleanup(io, final, say);
  return ExitCode.ok;
}

function describePhase(state: FlowState): string {
  switch (state.phase) {
    case 'turningOn':
      return '[3/8] Turning logging on...';
    case 'verifyingOn':
      return '[4/8] Logging is on; watching the log locations...';
    case 'reproducing':
      return '[5/8] Reproduce the problem now.';
    case 'countingDown':
      return `[6/8] Countdown until ${state.deadline}`;
    case 'turningOff':
      return `[7/8] Turning logging off (${state.offReason})...${state.error ? ` Reason: ${state.error}` : ''}`;
    case 'verifyingOff':
      return '[7/8] Checking that the log files stopped growing...';
    case 'collecting':
      return '[8/8] Collecting the window into a ZIP...';
    case 'stillLogging':
      return `[7/8] STILL LOGGING: ${state.roles.filter(role => role.logging === 'offFailed').map(role => `${role.name}: ${role.problem}`).join('; ')}`;
    case 'confirmingSettings':
      return '[1-2/8] Roles, protocols and log locations chosen; checking the locations...';
    default:
      return `Run ${state.phase}${state.error ? `: ${state.error}` : ''}`;
  }
}

/** Resolves when done(state) holds, or after timeoutMs / when ready() says the wait can end early. */
/** A location that vanished: a share is "unreachable" (with what to do), a local folder "missing". */
function missingLocationWarning(role: string, location: string): string {
  if (!isUncPath(location)) return `  WARNING ${role}: the log location is missing (deleted or unmounted?); logging will still be turned off.`;
  return [`  WARNING ${role}: the log share ${location} is UNREACHABLE from here (not "nothing written"); logging will still be turned off.`, ...unreachableGuidance(location).map(line => `    ${line}`)].join('\n');
}

async function waitFor(controller: LogflowController, done: (state: FlowState) => boolean, timeoutMs: number, ready: () => boolean): Promise<void> {
  const started = Date.now();
  while (!done(controller.state)) {
    if (controller.state.phase === 'verifyingOn' && (ready() || Date.now() - started >= timeoutMs)) return;
    await new Promise(resolveLater => setTimeout(resolveLater, 200));
  }
}
