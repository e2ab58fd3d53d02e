import {readFile} from 'node:fs/promises';
import {isIP} from 'node:net';
import type {ConnectionOptions} from 'node:tls';
import type {Client, Entry} from 'ldapts';
import {parseDirectoryUrl, type Directory} from './catalogue.js';
import type {BindCredentials} from './credentials.js';
import {DirectoryError} from './errors.js';
import {escapeFilterValue} from './filter.js';
import {guardResponses, maxCertificatesPerEntry, maxResponseBytesPerSearch, type ResponseGuard} from './ldap-response-guard.js';
import {entryObject, parseEqualityFilter, readSearchResponse, searchResultDone, searchResultEntry, SearchRequestEncoder, type EqualityAssertion} from './ldap-wire.js';

/** Attributes every lookup asks for besides the directory's own; plain userCertificate is accepted when returned. */
export const certificateAttributes = ['userCertificate;binary', 'userSMIMECertificate'];
/** Names ldapts must hand back as Buffers whatever their bytes look like. */
const bufferAttributes = ['userCertificate;binary', 'userCertificate', 'usercertificate;binary', 'usercertificate', 'userSMIMECertificate', 'usersmimecertificate', 'userSMIMECertificate;binary'];
const bufferAttributeSet: ReadonlySet<string> = new Set(bufferAttributes);
/** The time limit ldapts asks the server for (seconds); our own deadline ends a lookup anyway. */
const searchTimeLimitSeconds = 10;
/** One address should never match more entries than this; more means the answer is cut. */
export const maxEntriesPerSearch = 100;

export type SearchFilter = string | EqualityAssertion | readonly EqualityAssertion[];

export interface SearchOutcome {
  entries: Entry[];
  /** The server (or our own limit) stopped the search early: size limit exceeded. */
  truncated: boolean;
}

/** One ldapts Client bound (or anonymous) to one directory; close() always unbinds. */
export interface LdapSession {
  readonly host: string;
  readonly port: number;
  /** `filter`: an LDAP filter string, one equality assertion (attribute = these bytes), or several: any of them (a batch). */
  search(baseDn: string, filter: SearchFilter, attributes: readonly string[]): Promise<SearchOutcome>;
  /** namingContexts of the root DSE (the bases of an "unlimited search"). */
  namingContexts(): Promise<string[]>;
  /** True when the DN exists (a base-scope search finds it). */
  baseExists(dn: string): Promise<boolean>;
  close(): Promise<void>;
  /** Ends the connection at once (deadline passed); close() afterwards is still safe. */
  destroy(): void;
}

export interface OpenOptions {
  /** Both the connect and the per-operation time-out. */
  timeoutMs: number;
  /** Called as soon as the client exists, so a deadline can destroy it even while connecting. */
  onClient?: (session: LdapSession) => void;
}

/** Internals of ldapts 8 we hook to learn that a search ended with sizeLimitExceeded (it drops that status). */
interface ClientInternals {
  socket?: unknown;
  connected?: boolean;
  _nextMessageId(): number;
  messageDetailsByMessageId: Map<string, {message: unknown; resolve(value?: unknown): void; reject(error: Error): void; socket: unknown}>;
  /** Clears the connect timer, ends the socket; pending operations are rejected by its close handler. */
  _destroySocket(socket: unknown): void;
  /** Opens the socket; ldapts otherwise connects lazily per operation, and parallel first operations would each open one. */
  _connect(): Promise<void> | void;
  _send(message: unknown): Promise<{status?: number} | undefined>;
  _sendSearch(request: {sizeLimitHit?: boolean}, result: {truncated?: boolean}, ...rest: unknown[]): Promise<unknown>;
}

const sizeLimitExceeded = 4;

/** Starts loading ldapts in the background (the screen calls this on open, so the first lookup does not wait for it). */
export function preloadLdapClient(): void {
  void import('ldapts').catch(() => {});
}

/** Connects (ldap://, ldaps:// or StartTLS), binds when credentials are given. ldapts loads here, not at start-up. */
export async function openSession(directory: Directory, credentials: BindCredentials, options: OpenOptions): Promise<LdapSession> {
  const {Client, StatusCodeParser} = await import('ldapts');
  const {host, port, secure} = parseDirectoryUrl(directory.url);
  const tlsOptions = await tlsOptionsFor(directory, host);
  const client = new Client({url: directory.url, timeout: options.timeoutMs, connectTimeout: options.timeoutMs, tlsOptions: secure ? tlsOptions : undefined, strictDN: false});
  hookSizeLimit(client);
  const guard: {violation?: DirectoryError} = {};
  const responses = guardResponses(client, {maxBytesPerSearch: maxResponseBytesPerSearch, maxEntriesPerSearch, maxCertificatesPerEntry}, error => (guard.violation ??= error));
  const session = wrap(client, host, port, guard, responses, result => StatusCodeParser.parse(result as never));
  options.onClient?.(session);
  try {
    await (client as unknown as ClientInternals)._connect();
    // Requests are batched per turn of the event loop (see search); Nagle's wait for an ACK would only stall the pipeline.
    ((client as unknown as ClientInternals).socket as {setNoDelay?(on: boolean): void} | undefined)?.setNoDelay?.(true);
    if (directory.startTls) {
      try {
        await client.startTLS(tlsOptions);
      } catch (error) {
        const code = (error as {code?: unknown}).code;
        if (typeof code === 'number') throw new DirectoryError('tls', `the server refused StartTLS (LDAP result ${code}: ${(error as Error).message})`);
        throw error;
      }
    }
    if (credentials.kind === 'simple') await client.bind(credentials.bindDn, credentials.password);
    return session;
  } catch (error) {
    await session.close();
    throw error;
  }
}

async function tlsOptionsFor(directory: Directory, host: string): Promise<ConnectionOptions> {
  const options: ConnectionOptions = {host, rejectUnauthorized: true};
  // SNI must be a name, never an IP address.
  if (isIP(host) === 0) options.servername = host;
  if (directory.caFile) {
    try {
      options.ca = await readFile(directory.caFile, 'utf8');
    } catch (error) {
      throw new DirectoryError('tls', `cannot read the CA file ${directory.caFile}: ${(error as Error).message}`);
    }
  }
  return options;
}

function hookSizeLimit(client: Client): void {
  const internals = client as unknown as ClientInternals;
  const send = internals._send.bind(client);
  const sendSearch = internals._sendSearch.bind(client);
  internals._send = async message => {
    const response = await send(message);
    if (response?.status === sizeLimitExceeded && message && typeof message === 'object') (message as {sizeLimitHit?: boolean}).sizeLimitHit = true;
    return response;
  };
  internals._sendSearch = async (request, result, ...rest) => {
    const outcome = await sendSearch(request, result, ...rest);
    if (request.sizeLimitHit) result.truncated = true;
    return outcome;
  };
}

/** ldapts names a pending request by its class in "connection closed" messages: they read the same for ours. */
class WireSearchRequest {
  readonly protocolOperation = 0x63;
  constructor(readonly messageId: number) {}
}
// Set, not left to the class's own name: a bundler may rename a class whose name another module uses.
Object.defineProperty(WireSearchRequest, 'name', {value: 'SearchRequest'});

function wrap(client: Client, host: string, port: number, guard: {violation?: DirectoryError}, responses: ResponseGuard, resultError: (result: {status: number; errorMessage: string}) => Error): LdapSession {
  const internals = client as unknown as ClientInternals;
  const encoders = new Map<string, SearchRequestEncoder>();
  let closed = false;
  // After a bound was broken the connection is gone: every operation on it reports that, not "connection closed".
  const guarded = async <T>(operation: () => Promise<T>): Promise<T> => {
    if (guard.violation) throw guard.violation;
    try {
      return await operation();
    } catch (error) {
      throw guard.violation ?? error;
    }
  };
  let corked: {uncork(): void} | undefined;
  /** Requests issued in the same turn of the event loop leave in one write (one system call, not one each). */
  const batchWrites = () => {
    const socket = (client as unknown as ClientInternals).socket as {cork(): void; uncork(): void} | undefined;
    if (corked || !socket) return;
    corked = socket;
    socket.cork();
    setImmediate(() => {
      corked = undefined;
      socket.uncork();
    });
  };
  const session: LdapSession = {
    host,
    port,
    search: (baseDn, filter, attributes) => guarded(() => search(baseDn, filter, attributes)),
    namingContexts: () => guarded(namingContexts),
    baseExists: dn => guarded(() => baseExists(dn)),
    async close() {
      if (closed) return;
      closed = true;
      if (guard.violation) return;
      try {
        await client.unbind();
      } catch {
        // The connection is gone already; nothing left to release.
      }
    },
    destroy() {
      const internals = client as unknown as ClientInternals;
      if (internals.socket) internals._destroySocket(internals.socket);
    },
  };
  async function search(baseDn: string, filter: SearchFilter, attributes: readonly string[]): Promise<SearchOutcome> {
    const assertion = typeof filter === 'string' ? parseEqualityFilter(filter) : filter;
    if (assertion && internals.connected && internals.socket) return searchOnWire(baseDn, assertion, attributes);
    batchWrites();
    const result = await client.search(baseDn, {
      scope: 'sub',
      filter: filterText(filter),
      attributes: [...attributes],
      explicitBufferAttributes: bufferAttributes,
      sizeLimit: maxEntriesPerSearch,
    });
    const truncated = (result as {truncated?: boolean}).truncated === true || result.searchEntries.length >= maxEntriesPerSearch;
    return {entries: result.searchEntries, truncated};
  }
  /** The same search as below, encoded and read by ldap-wire.ts (see there why). */
  function searchOnWire(baseDn: string, assertion: EqualityAssertion | readonly EqualityAssertion[], attributes: readonly string[]): Promise<SearchOutcome> {
    const key = `${baseDn}\0${attributes.join('\0')}`;
    let encoder = encoders.get(key);
    if (!encoder) encoders.set(key, (encoder = new SearchRequestEncoder(baseDn, attributes, maxEntriesPerSearch, searchTimeLimitSeconds)));
    const messageId = internals._nextMessageId();
    const socket = internals.socket as {write(bytes: Buffer): boolean};
    return new Promise<SearchOutcome>((resolve, reject) => {
      const entries: Entry[] = [];
      const id = String(messageId);
      const finish = () => {
        internals.messageDetailsByMessageId.delete(id);
        responses.release(messageId);
      };
      // ldapts rejects what is registered here when the socket closes or fails; the guard when a bound breaks.
      internals.messageDetailsByMessageId.set(id, {
        message: new WireSearchRequest(messageId),
        resolve() {},
        reject(error) {
          finish();
          reject(error);
        },
        socket,
      });
      responses.claim(messageId, bytes => {
        let response;
        try {
          response = readSearchResponse(bytes);
        } catch (error) {
          responses.violate(messageId, `the server sent ${(error as Error).message}`);
          return;
        }
        if (response.operation === searchResultEntry) {
          if (responses.entryArrived(messageId, response.attributes)) entries.push(entryObject(response.dn, response.attributes, attributes, bufferAttributeSet) as Entry);
        } else if (response.operation === searchResultDone) {
          finish();
          if (response.status === 0 || response.status === sizeLimitExceeded) resolve({entries, truncated: response.status === sizeLimitExceeded || entries.length >= maxEntriesPerSearch});
          else reject(resultError(response));
        }
      });
      batchWrites();
      socket.write(encoder.encode(messageId, assertion));
    });
  }
  async function namingContexts(): Promise<string[]> {
    const result = await client.search('', {scope: 'base', filter: '(objectClass=*)', attributes: ['namingContexts']});
    const raw = result.searchEntries[0]?.namingContexts ?? result.searchEntries[0]?.namingcontexts;
    const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    return values.map(item => item.toString()).filter(dn => dn.length > 0);
  }
  async function baseExists(dn: string): Promise<boolean> {
    try {
      const result = await client.search(dn, {scope: 'base', filter: '(objectClass=*)', attributes: ['1.1']});
      return result.searchEntries.length > 0;
    } catch (error) {
      if ((error as {code?: unknown}).code === 32) return false;
      throw error;
    }
  }
  return session;
}

function assertionText(assertion: EqualityAssertion): string {
  return `(${assertion.attribute}=${escapeFilterValue(assertion.value.toString('utf8'))})`;
}

/** The filter as ldapts parses it (before the connection is open the wire path is not used). */
function filterText(filter: SearchFilter): string {
  if (typeof filter === 'string') return filter;
  if (!Array.isArray(filter)) return assertionText(filter as EqualityAssertion);
  const all = filter as readonly EqualityAssertion[];
  return all.length === 1 ? assertionText(all[0]!) : `(|${all.map(assertionText).join('')})`;
}
