import type {Subcommand, CommandIo} from '../commands/types.js';
import {parseCommandArgs, parseDuration, writeJson} from '../commands/parse.js';
import type {ConsoleContext} from '../context.js';
import {ExitCode, UsageError} from '../errors.js';
import {chooseDirectories, loadCatalogue} from './directory-store.js';
import {checkEmailAddress} from './filter.js';
import {defaultTimeoutMs} from './lookup.js';

export const keyserverHelp = `Usage:
  nsp-console keyserver list [--json] [--keyservers <file>]
  nsp-console keyserver lookup <address> [--server <id>]... [--timeout <duration>] [--export <dir>] [--json]
  nsp-console keyserver lookup --file <addresses.txt|.csv> [--server <id>]... [--timeout <duration>] [--concurrency <n>] [--batch <n>] [--json]
  nsp-console keyserver test [--server <id>]... [--timeout <duration>] [--json]

Finds S/MIME certificates for an address in the public LDAP certificate directories NoSpamProxy
queries (built in: the knowledge base's list) plus custom ones, all in parallel.

Options:
  --server <id>         only this directory (repeatable); ids: "keyserver list"
  --timeout <duration>  overall deadline per lookup, e.g. 10s, 2500ms (default 10s, at most 2m); also the
                        connect and per-operation time-out
  --export <dir>        write every certificate found as <name>.pem and <name>.cer (DER)
  --file <path>         bulk lookup: one address per line (.txt) or an e-mail column (.csv);
                        several searches in flight on one connection per directory;
                        JSON lines with --json, in input order;
                        a progress bar on stderr when it is a terminal
  --concurrency <n>     bulk: searches in flight at once on each directory (default 8,
                        1-256; one connection per 8, at most 4); output stays in input order
  --batch <n>           bulk: addresses asked in one search, (|(mail=a)(mail=b)...), where the
                        filter is (mail=%e) (default 16, 1-32; 1: one search per address); a cut
                        or unclear answer is asked again address by address
  --keyservers <file>   use this JSON list of directories instead of the catalogue (this run only)
  --json                machine-readable output (schema in the README, "Key-server lookup")

Credentials: a directory with a bind DN but no stored password (and Arbeitsagentur until you give
its bind DN) shows "needs credentials". Type the password in the console, or set
NSP_CONSOLE_KEYSERVER_PASSWORD_<ID> (e.g. NSP_CONSOLE_KEYSERVER_PASSWORD_ARBEITSAGENTUR).

Exit codes: lookup: 0 a certificate was found, 1 none found, 2 bad input, 3 every directory failed.
test: 0 every directory passed, 1 some failed, 3 none reachable. list: 0.`;

const commonOptions = {
  json: {type: 'boolean'},
  keyservers: {type: 'string'},
} as const;

export const keyserverCommand: Subcommand = {
  name: 'keyserver',
  help: keyserverHelp,
  async run(args, context, io) {
    const [action, ...rest] = args;
    switch (action) {
      case 'list':
        return runList(rest, context, io);
      case 'lookup':
        return runLookup(rest, context, io);
      case 'test':
        return runTest(rest, context, io);
      case undefined:
        throw new UsageError('keyserver needs an action: list, lookup or test. Run "nsp-console keyserver --help".');
      default:
        throw new UsageError(`Unknown keyserver action "${action}"; use list, lookup or test.`);
    }
  },
};

async function runList(args: string[], context: ConsoleContext, io: CommandIo): Promise<number> {
  const {values, positionals} = parseCommandArgs(args, commonOptions, false);
  noPositionals(positionals);
  const catalogue = await loadCatalogue(context.stateDir, values.keyservers);
  if (values.json) {
    // Never print a password: say whether one is stored instead.
    writeJson(io.stdout, catalogue.map(({password, ...directory}) => ({...directory, password: null, passwordStored: password !== null})));
  } else {
    const {formatCatalogue} = await import('./format.js');
    io.stdout.write(formatCatalogue(catalogue));
  }
  return ExitCode.ok;
}

/** A directory that has not answered in 2 minutes will not: the cap keeps a hostile server's hold short. */
const maxTimeoutMs = 120_000;

function timeoutFrom(text: string | undefined): number {
  if (text === undefined) return defaultTimeoutMs;
  const ms = parseDuration(text, '--timeout');
  if (ms < 100 || ms > maxTimeoutMs) throw new UsageError(`--timeout must be between 100ms and 2m (got ${text}).`);
  return ms;
}

function noPositionals(positionals: string[]): void {
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
}

async function runLookup(args: string[], context: ConsoleContext, io: CommandIo): Promise<number> {
  const {values, positionals} = parseCommandArgs(args, {
    ...commonOptions,
    server: {type: 'string', multiple: true},
    timeout: {type: 'string'},
    export: {type: 'string'},
    file: {type: 'string'},
    concurrency: {type: 'string'},
    batch: {type: 'string'},
  });
  const timeoutMs = timeoutFrom(values.timeout);
  if (values.file !== undefined) {
    if (positionals.length > 0) throw new UsageError('Give either an address or --file, not both.');
    if (values.export !== undefined) throw new UsageError('--export works with a single address, not with --file.');
    return runBulk(values.file, values, timeoutMs, context, io);
  }
  if (values.concurrency !== undefined) throw new UsageError('--concurrency only applies to --file.');
  if (values.batch !== undefined) throw new UsageError('--batch only applies to --file.');
  if (positionals.length === 0) throw new UsageError('Which address? Usage: nsp-console keyserver lookup <address> (or --file <addresses.txt>).');
  if (positionals.length > 1) throw new UsageError(`One address at a time (got ${positionals.length}); use --file for many.`);
  const address = positionals[0]!.trim();
  const problem = checkEmailAddress(address);
  if (problem) throw new UsageError(problem);
  const directories = chooseDirectories(await loadCatalogue(context.stateDir, values.keyservers), values.server ?? []);
  const [{lookupAddress, toJsonResult}, {exportCertificate}] = await Promise.all([import('./lookup.js'), import('./export.js')]);
  const results = await lookupAddress(directories, address, {timeoutMs, env: context.env});

  const exported = new Map<string, {pem: string; der: string}>();
  if (values.export !== undefined) {
    for (const result of results) {
      for (const found of result.certificates) {
        if (!exported.has(found.details.sha256)) exported.set(found.details.sha256, await exportCertificate(found, values.export));
      }
    }
  }
  if (values.json) {
    writeJson(io.stdout, {
      address,
      results: results.map(result => {
        const json = toJsonResult(result);
        return {...json, certificates: json.certificates.map(details => (exported.has(details.sha256) ? {...details, files: exported.get(details.sha256)} : details))};
      }),
    });
  } else {
    const {formatLookup} = await import('./format.js');
    io.stdout.write(formatLookup(address, results));
    for (const files of exported.values()) io.stdout.write(`Exported ${files.pem}\n         ${files.der}\n`);
  }
  return lookupExitCode(results);
}

/** 0 a certificate found; 3 no directory answered at all; 1 otherwise. */
export function lookupExitCode(results: readonly {status: string; certificates: readonly unknown[]}[]): number {
  if (results.some(result => result.certificates.length > 0)) return ExitCode.ok;
  const answered = results.some(result => result.status === 'found' || result.status === 'no-entry' || result.status === 'no-certificate');
  return answered ? ExitCode.nothingFound : ExitCode.operational;
}

async function runBulk(file: string, values: {server?: string[]; json?: boolean; keyservers?: string; concurrency?: string; batch?: string}, timeoutMs: number, context: ConsoleContext, io: CommandIo): Promise<number> {
  const concurrency = wholeNumber('--concurrency', values.concurrency, 256);
  const batch = wholeNumber('--batch', values.batch, 32);
  const {readAddressFile} = await import('./address-file.js');
  const {addresses, duplicates} = await readAddressFile(file);
  const directories = chooseDirectories(await loadCatalogue(context.stateDir, values.keyservers), values.server ?? []);
  const [{bulkLookup}, {toJsonResult}, {createProgressBar}, {statusLabel}, {createLineBatcher}] = await Promise.all([import('./bulk.js'), import('./lookup.js'), import('./progress.js'), import('./format.js'), import('./stream-write.js')]);
  const stderrIsTTY = Boolean((io.stderr as {isTTY?: boolean}).isTTY);
  const progress = stderrIsTTY ? createProgressBar(io.stderr, addresses.length, {ascii: context.ascii, label: 'addresses'}) : undefined;
  let answered = false;
  const output = createLineBatcher(io.stdout);
  const summary = await bulkLookup(directories, addresses, {
    timeoutMs,
    concurrency,
    batch,
    env: context.env,
    onAddress(index, address, results) {
      answered ||= results.some(result => result.status === 'found' || result.status === 'no-entry' || result.status === 'no-certificate');
      let line: string;
      if (values.json) line = `${JSON.stringify({address, results: results.map(toJsonResult)})}\n`;
      else {
        const found = results.filter(result => result.certificates.length > 0);
        const verdict = found.length > 0 ? `found in ${found.map(result => `${result.id} (${result.certificates.length})`).join(', ')}` : 'no certificate';
        const errors = results.filter(result => result.status === 'error' || result.status === 'needs-credentials');
        line = `${address}  ${verdict}${errors.length > 0 ? `  [${errors.map(result => `${result.id}: ${statusLabel(result)}`).join(', ')}]` : ''}\n`;
      }
      progress?.update(index + 1);
      // A slow reader of stdout (a pipe into a pager) holds the run instead of piling up lines in memory.
      return output.add(line);
    },
  });
  await output.flush();
  progress?.finish();
  io.stderr.write(
    `${summary.addresses} address${summary.addresses === 1 ? '' : 'es'}${duplicates > 0 ? ` (${duplicates} duplicate line${duplicates === 1 ? '' : 's'} skipped)` : ''}, ${summary.withCertificate} with a certificate, ${directories.length} directories, ${(summary.elapsedMs / 1000).toFixed(1)} s${summary.directoriesDown.length > 0 ? `; unavailable: ${summary.directoriesDown.join(', ')}` : ''}\n`,
  );
  if (summary.withCertificate > 0) return ExitCode.ok;
  return answered ? ExitCode.nothingFound : ExitCode.operational;
}

/** A bounded whole-number option, undefined when not given. */
function wholeNumber(option: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(value) || value < 1 || value > max) throw new UsageError(`${option} must be a whole number from 1 to ${max} (got ${text}).`);
  return value;
}

async function runTest(args: string[], context: ConsoleContext, io: CommandIo): Promise<number> {
  const {values, positionals} = parseCommandArgs(args, {...commonOptions, server: {type: 'string', multiple: true}, timeout: {type: 'string'}}, false);
  noPositionals(positionals);
  const timeoutMs = timeoutFrom(values.timeout);
  const directories = chooseDirectories(await loadCatalogue(context.stateDir, values.keyservers), values.server ?? []);
  const {testDirectories} = await import('./connectivity.js');
  const results = await testDirectories(directories, {timeoutMs, env: context.env});
  if (values.json) writeJson(io.stdout, {results});
  else {
    const {formatConnectivity} = await import('./format.js');
    io.stdout.write(formatConnectivity(results));
  }
  if (results.every(result => result.tcp.status !== 'ok')) return ExitCode.operational;
  const failed = results.some(result => !result.ok && result.bind.status !== 'needs-credentials');
  return failed ? ExitCode.nothingFound : ExitCode.ok;
}

