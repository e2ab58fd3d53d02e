import type {Directory} from './catalogue.js';
import type {CertificateDetails, FoundCertificate} from './certificate.js';
import {resolveCredentials} from './credentials.js';
import {extractCertificates} from './entry-certificates.js';
import {classifyError, DirectoryError, formatSeconds, type ErrorKind} from './errors.js';
import {expandFilter} from './filter.js';
import {certificateAttributes, openSession, type LdapSession} from './ldap-session.js';
import {parseDirectoryUrl} from './catalogue.js';
import type {Entry} from 'ldapts';

export type LookupStatus = 'found' | 'no-entry' | 'no-certificate' | 'error' | 'needs-credentials';

export interface DirectoryResult {
  id: string;
  name: string;
  url: string;
  status: LookupStatus;
  errorKind?: ErrorKind;
  message: string;
  elapsedMs: number;
  entries: number;
  certificates: FoundCertificate[];
  /** The answer was cut by a size limit: what came back is shown. */
  truncated: boolean;
  skippedValues: number;
}

export const defaultTimeoutMs = 10_000;

export interface LookupOptions {
  /** Overall deadline per lookup (default 10 s): connect, bind and search all fit in it. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Called when a directory starts and when its result is ready (live rows in the screen). */
  onStart?: (directory: Directory) => void;
  onResult?: (result: DirectoryResult) => void;
}

/** Asks every directory in parallel, each with its own client; resolves when all have answered or the deadline passed. */
export async function lookupAddress(directories: readonly Directory[], address: string, options: LookupOptions = {}): Promise<DirectoryResult[]> {
  return Promise.all(
    directories.map(async directory => {
      options.onStart?.(directory);
      const result = await lookupDirectory(directory, address, options);
      options.onResult?.(result);
      return result;
    }),
  );
}

export async function lookupDirectory(directory: Directory, address: string, options: LookupOptions = {}): Promise<DirectoryResult> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const credentials = resolveCredentials(directory, options.env);
  if (credentials.kind === 'missing') return {...emptyResult(directory, 'needs-credentials', credentials.reason), elapsedMs: 0};
  let session: LdapSession | undefined;
  let timer: NodeJS.Timeout | undefined;
  let expired = false;
  const deadlineError = () => new DirectoryError('timeout', `no complete answer within ${formatSeconds(timeoutMs)} (the deadline)`);
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = true;
      session?.destroy();
      reject(deadlineError());
    }, timeoutMs);
  });
  const adopt = (opened: LdapSession) => {
    session = opened;
    // A client that appears after the deadline (slow first load of ldapts) is ended at once.
    if (expired) opened.destroy();
  };
  const work = (async () => {
    adopt(await openSession(directory, credentials, {timeoutMs, onClient: adopt}));
    if (expired) throw deadlineError();
    return searchAddress(session!, directory, address);
  })();
  try {
    const {entries, truncated} = await Promise.race([work, deadline]);
    const {certificates, skippedValues} = extractCertificates(entries, options.now?.() ?? new Date());
    return summarize(directory, entries.length, certificates, truncated, skippedValues, elapsed());
  } catch (error) {
    const {host, port} = parseDirectoryUrl(directory.url);
    const classified = classifyError(error, {host, port, timeoutMs});
    return {...emptyResult(directory, 'error', classified.message), errorKind: classified.kind, elapsedMs: elapsed()};
  } finally {
    clearTimeout(timer);
    // Always unbind: now, and again once late work settles (close is idempotent).
    void work.then(
      () => session?.close(),
      () => session?.close(),
    );
    await session?.close();
  }
}

export interface AddressSearch {
  entries: Entry[];
  truncated: boolean;
}

/** The configured base, or each namingContext for an "unlimited search"; entries found twice count once. */
export async function searchAddress(session: LdapSession, directory: Directory, address: string, knownBases?: string[]): Promise<AddressSearch> {
  const {attributes, equalityAttribute} = searchPlan(directory);
  // (mail=%e): the assertion's value is the address's bytes, no escaping and parsing back needed.
  const filter = equalityAttribute !== undefined ? {attribute: equalityAttribute, value: Buffer.from(address, 'utf8')} : expandFilter(directory.filter, address);
  const bases = directory.baseDn !== null ? [directory.baseDn] : (knownBases ?? (await unlimitedBases(session)));
  const outcomes = await Promise.allSettled(bases.map(base => session.search(base, filter, attributes)));
  const succeeded = outcomes.filter(outcome => outcome.status === 'fulfilled');
  if (succeeded.length === 0) throw (outcomes[0] as PromiseRejectedResult).reason;
  const byDn = new Map<string, Entry>();
  let truncated = false;
  for (const {value} of succeeded) {
    truncated ||= value.truncated;
    for (const entry of value.entries) if (!byDn.has(entry.dn)) byDn.set(entry.dn, entry);
  }
  return {entries: [...byDn.values()], truncated};
}

const plainEquality = /^\(([A-Za-z][A-Za-z0-9-]*(?:;[A-Za-z0-9-]+)*)=%e\)$/;
const plans = new WeakMap<Directory, {attributes: string[]; equalityAttribute?: string}>();

/** What every search of a directory shares, worked out once per directory (a bulk run asks thousands of times). */
export function searchPlan(directory: Directory): {attributes: string[]; equalityAttribute?: string} {
  let plan = plans.get(directory);
  if (!plan) {
    plan = {attributes: [...new Set([...directory.attributes, ...certificateAttributes])], equalityAttribute: plainEquality.exec(directory.filter)?.[1]};
    plans.set(directory, plan);
  }
  return plan;
}

/** The root DSE's namingContexts; a server that lists none is searched from the empty base. */
export async function unlimitedBases(session: LdapSession): Promise<string[]> {
  const contexts = await session.namingContexts();
  return contexts.length > 0 ? contexts : [''];
}

export function summarize(directory: Directory, entryCount: number, certificates: FoundCertificate[], truncated: boolean, skippedValues: number, elapsedMs: number): DirectoryResult {
  const cut = truncated ? ' (size limit: the answer was cut; more may exist)' : '';
  const skipped = skippedValues > 0 ? `; ${skippedValues} value${skippedValues === 1 ? '' : 's'} not readable as a certificate` : '';
  let status: LookupStatus = 'found';
  let message: string;
  if (certificates.length > 0) message = `${plural(certificates.length, 'certificate')} on ${plural(entryCount, 'entry', 'entries')}${cut}${skipped}`;
  else if (entryCount === 0) {
    status = 'no-entry';
    message = 'no entry for this address';
  } else if (truncated) {
    status = 'error';
    message = `size limit exceeded after ${plural(entryCount, 'entry', 'entries')}, none with a certificate${skipped}`;
  } else {
    status = 'no-certificate';
    message = `${plural(entryCount, 'entry', 'entries')} without a certificate${skipped}`;
  }
  // One literal, no spreads: a bulk run builds one per address and directory, mostly before the code is optimized.
  const result: DirectoryResult = {id: directory.id, name: directory.name, url: directory.url, status, message, entries: entryCount, certificates, truncated, skippedValues, elapsedMs};
  if (status === 'error') result.errorKind = 'size-limit';
  return result;
}

function emptyResult(directory: Directory, status: LookupStatus, message: string): Omit<DirectoryResult, 'elapsedMs'> {
  return {id: directory.id, name: directory.name, url: directory.url, status, message, entries: 0, certificates: [], truncated: false, skippedValues: 0};
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** The stable --json shape of one directory's result (extra fields: truncated, entryDn, daysLeft …). */
export type JsonDirectoryResult = Omit<DirectoryResult, 'certificates' | 'truncated' | 'skippedValues'> & {
  truncated?: boolean;
  certificates: CertificateDetails[];
};

export function toJsonResult(result: DirectoryResult): JsonDirectoryResult {
  // Built field by field in the printed order: object spreads were a visible cost per address in bulk runs.
  const json: Partial<JsonDirectoryResult> = {id: result.id, name: result.name, url: result.url, status: result.status};
  if (result.errorKind) json.errorKind = result.errorKind;
  json.message = result.message;
  json.elapsedMs = result.elapsedMs;
  json.entries = result.entries;
  if (result.truncated) json.truncated = true;
  const certificates: CertificateDetails[] = [];
  for (const found of result.certificates) certificates.push(found.details);
  json.certificates = certificates;
  return json as JsonDirectoryResult;
}

