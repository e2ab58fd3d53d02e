import type {Subcommand} from '../commands/types.js';
import {parseCommandArgs, writeJson} from '../commands/parse.js';
import {ExitCode, OperationalError, UsageError} from '../errors.js';

export const bundleHelp = `Usage:
  nsp-console bundle create [options]     collect support data into one redacted, checksummed ZIP
  nsp-console bundle verify <zip> [--json] re-read a bundle and check every SHA-256 of its manifest

Options of "bundle create":
  --out <zip>                  where to write (default <state-dir>/output/nsp-support-<host>-<yyyymmdd-hhmm>.zip);
                               an existing file is never overwritten
  --nsp-version <version>      the NoSpamProxy version, when the registry cannot tell
  --description <text>         the problem description
  --description-file <file>    ... or read it from a file (UTF-8, at most 1 MB)
  --event-log-file <file>      an exported event log to attach (instead of exporting it on Windows)
  --since <time>               event-log range start: "2026-11-27 08:00", ISO time, 24h (ago), 2d, now
  --until <time>               event-log range end (default now); default range: the last 24 hours,
                               or the troubleshooting-log run's window when --logs is given
  --message-track <file>       an exported message track (JSON); repeatable
  --queue-note <text>          what Monitoring > Email queues / Emails on hold shows
  --queue-file <file>          an exported queue / on-hold list or screenshot; repeatable
  --attach <file>              a screenshot or any other file; repeatable
  --logs latest|<run id>       the files of a troubleshooting-log run ("nsp-console logflow")
  --skip <item>[,<item>]       leave items out: version, description, environment, config, eventlog,
                               message-tracks, queues, logs, attachments; repeatable
  --max-file-size <size>       store at most this much of one file (default 256MB; settings bundle.maxFileBytes)
  --max-total-size <size>      store at most this much in all (default 2GB; settings bundle.maxTotalBytes)
  --level <0-9>                ZIP compression as zip's -0 ... -9: 1 fastest, 9 smallest, 0 stores (default 6;
                               on 1 GB of SMTP logs, 3 took a third less time for a ZIP 5 % bigger)
  --json                       print the result (path, items, manifest) as JSON

Secrets (proxy user/password, licence key, passwords in connection strings, anything typed into a
password field) are replaced by ***REDACTED***; a final check stops if any known secret would be zipped.

Exit codes: 0 written / verified, 1 verify found a problem, 2 bad usage or input, 3 operational failure
(unreadable input, disk full, a secret would leak, aborted).`;

/** --level: a whole number 0-9, as zip's -0 … -9. */
function zipLevel(text: string): number {
  if (!/^\s*\d\s*$/.test(text)) throw new UsageError(`--level must be a whole number from 0 to 9 (got ${text}).`);
  return Number(text);
}

function list(values: unknown): string[] {
  return Array.isArray(values) ? values.map(String) : typeof values === 'string' ? [values] : [];
}

async function create(args: string[], context: Parameters<Subcommand['run']>[1], io: Parameters<Subcommand['run']>[2]): Promise<number> {
  const {values, positionals} = parseCommandArgs(
    args,
    {
      out: {type: 'string'},
      'nsp-version': {type: 'string'},
      description: {type: 'string'},
      'description-file': {type: 'string'},
      'event-log-file': {type: 'string'},
      since: {type: 'string'},
      until: {type: 'string'},
      'message-track': {type: 'string', multiple: true},
      'queue-note': {type: 'string'},
      'queue-file': {type: 'string', multiple: true},
      attach: {type: 'string', multiple: true},
      logs: {type: 'string'},
      skip: {type: 'string', multiple: true},
      'max-file-size': {type: 'string'},
      'max-total-size': {type: 'string'},
      level: {type: 'string'},
      json: {type: 'boolean'},
    },
    true,
  );
  if (positionals.length > 0) throw new UsageError(`bundle create takes no arguments besides options (got "${positionals[0]}"); see "nsp-console bundle --help".`);
  if (values.description !== undefined && values['description-file'] !== undefined) throw new UsageError('Use either --description or --description-file, not both.');
  const {itemIds} = await import('./types.js');
  const {parseTime, resolveLimits} = await import('./options.js');
  const {emptyRequest, createBundle} = await import('./create.js');
  const {formatBytes} = await import('../archive/zip-writer.js');
  const skip = list(values.skip).flatMap(value => value.split(',')).map(value => value.trim()).filter(Boolean);
  for (const id of skip) if (!(itemIds as readonly string[]).includes(id)) throw new UsageError(`--skip ${id}: unknown item; items are ${itemIds.join(', ')}.`);
  const now = new Date();
  const request = {
    ...emptyRequest(),
    nspVersion: values['nsp-version'],
    description: values.description,
    descriptionFile: values['description-file'],
    eventLogFile: values['event-log-file'],
    since: values.since === undefined ? undefined : parseTime(values.since, '--since', now),
    until: values.until === undefined ? undefined : parseTime(values.until, '--until', now),
    messageTracks: list(values['message-track']),
    queueNote: values['queue-note'],
    queueFiles: list(values['queue-file']),
    attachments: list(values.attach),
    logs: values.logs,
    skip: skip as (typeof itemIds)[number][],
  };
  if (request.logs !== undefined && request.logs.trim().length === 0) throw new UsageError('--logs needs "latest" or a run id.');
  const level = values.level === undefined ? undefined : zipLevel(values.level);
  const limits = await resolveLimits(context.stateDir, {maxFile: values['max-file-size'], maxTotal: values['max-total-size']});
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const json = values.json === true;
  let lastShown = -1;
  try {
    const {collected, written} = await createBundle(context, request, {
      out: values.out,
      limits,
      level,
      signal: controller.signal,
      onCollected: found => {
        if (json) return;
        for (const item of found.items) io.stdout.write(`${item.status.padEnd(9)}${item.label.padEnd(31)}${item.summary}\n`);
      },
      onProgress: progress => {
        if (json || !io.isTTY) return;
        const percent = progress.bytesTotal > 0 ? Math.floor((progress.bytesDone / progress.bytesTotal) * 100) : 100;
        if (percent === lastShown) return;
        lastShown = percent;
        io.stderr.write(`\rwriting ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)} (${percent}%)   `);
      },
    });
    if (!json && io.isTTY) io.stderr.write('\n');
    if (json) {
      writeJson(io.stdout, {
        path: written.path,
        bytes: written.bytes,
        items: collected.items.map(item => ({id: item.id, status: item.status, summary: item.summary, details: item.details})),
        manifest: written.manifest,
      });
    } else {
      const truncated = written.manifest.entries.filter(entry => entry.truncated).length;
      const redactions = written.manifest.entries.reduce((sum, entry) => sum + entry.redactions, 0);
      io.stdout.write(`\nWrote ${written.path}\n  ${written.manifest.entries.length} entries + manifest.json, ${formatBytes(written.bytes)}, ${redactions} value(s) redacted${truncated > 0 ? `, ${truncated} truncated by the caps` : ''}\n`);
      for (const skipped of written.manifest.skipped) io.stdout.write(`  skipped ${skipped.item}: ${skipped.reason}\n`);
      io.stdout.write(`Check it with: nsp-console bundle verify "${written.path}"\n`);
    }
    return ExitCode.ok;
  } catch (error) {
    if (!json && io.isTTY && lastShown >= 0) io.stderr.write('\n');
    if (controller.signal.aborted) throw new OperationalError('Aborted: the partial bundle was removed; the source files are unchanged.');
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function verify(args: string[], io: Parameters<Subcommand['run']>[2]): Promise<number> {
  const {values, positionals} = parseCommandArgs(args, {json: {type: 'boolean'}}, true);
  if (positionals.length !== 1) throw new UsageError('Usage: nsp-console bundle verify <zip> [--json]');
  const {verifyBundle} = await import('./verify.js');
  const report = await verifyBundle(positionals[0]!);
  if (values.json) writeJson(io.stdout, {path: report.path, ok: report.ok, checks: report.checks, unlisted: report.unlisted, badNames: report.badNames, skipped: report.manifest.skipped, host: report.manifest.host, created: report.manifest.created, nspVersion: report.manifest.nspVersion});
  else {
    io.stdout.write(`${report.path}: made by ${report.manifest.tool?.name ?? '?'} ${report.manifest.tool?.version ?? '?'} on ${report.manifest.host} at ${report.manifest.created}, NoSpamProxy ${report.manifest.nspVersion}\n`);
    for (const check of report.checks) io.stdout.write(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.path}${check.problem ? `: ${check.problem}` : ''}\n`);
    for (const name of report.unlisted) io.stdout.write(`  FAIL ${name}: in the ZIP but not in the manifest\n`);
    for (const bad of report.badNames) io.stdout.write(`  FAIL ${bad.path}: ${bad.problem}\n`);
    const failed = report.checks.filter(check => !check.ok).length + report.unlisted.length + report.badNames.length;
    io.stdout.write(failed === 0 ? `OK: all ${report.checks.length} entries match their SHA-256 and size.\n` : `${failed} problem(s) found.\n`);
  }
  return report.ok ? ExitCode.ok : ExitCode.nothingFound;
}

export const bundleCommand: Subcommand = {
  name: 'bundle',
  help: bundleHelp,
  async run(args, context, io) {
    const [action, ...rest] = args;
    if (action === 'create') return create(rest, context, io);
    if (action === 'verify') return verify(rest, io);
    throw new UsageError(action === undefined ? 'bundle needs an action: create or verify. See "nsp-console bundle --help".' : `Unknown bundle action "${action}": use create or verify.`);
  },
};
