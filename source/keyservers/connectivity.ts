import {connect} from 'node:net';
import {parseDirectoryUrl, type Directory} from './catalogue.js';
import {resolveCredentials} from './credentials.js';
import {classifyError, DirectoryError, formatSeconds, type ErrorKind} from './errors.js';
import {openSession, type LdapSession} from './ldap-session.js';
import {defaultTimeoutMs} from './lookup.js';

export type StepStatus = 'ok' | 'failed' | 'skipped';

export interface ConnectivityResult {
  id: string;
  name: string;
  url: string;
  /** Every step passed. False as well when the bind needs credentials nobody gave (bind.status says so). */
  ok: boolean;
  tcp: {status: StepStatus; rttMs?: number; message: string};
  /** "anonymous" binds are checked by reading the root DSE. */
  bind: {status: StepStatus | 'anonymous' | 'needs-credentials'; message: string};
  base: {status: StepStatus | 'missing'; message: string; namingContexts?: string[]};
  /** One LDAP round trip (root DSE read) after connecting and binding. */
  rttMs?: number;
  errorKind?: ErrorKind;
  elapsedMs: number;
}

/** Each directory in parallel: TCP connect, TLS/bind, base DN (or namingContexts), one LDAP round trip. */
export async function testDirectories(directories: readonly Directory[], options: {timeoutMs?: number; env?: NodeJS.ProcessEnv; onResult?: (result: ConnectivityResult) => void} = {}): Promise<ConnectivityResult[]> {
  return Promise.all(
    directories.map(async directory => {
      const result = await testDirectory(directory, options);
      options.onResult?.(result);
      return result;
    }),
  );
}

export async function testDirectory(directory: Directory, options: {timeoutMs?: number; env?: NodeJS.ProcessEnv} = {}): Promise<ConnectivityResult> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const started = performance.now();
  const {host, port} = parseDirectoryUrl(directory.url);
  const result: ConnectivityResult = {
    id: directory.id,
    name: directory.name,
    url: directory.url,
    ok: false,
    tcp: {status: 'skipped', message: ''},
    bind: {status: 'skipped', message: 'not tried'},
    base: {status: 'skipped', message: 'not tried'},
    elapsedMs: 0,
  };
  const finish = () => ({...result, elapsedMs: Math.round(performance.now() - started)});
  const fail = (error: unknown) => {
    const classified = classifyError(error, {host, port, timeoutMs});
    result.errorKind = classified.kind;
    return classified.message;
  };

  try {
    const rttMs = await tcpConnect(host, port, timeoutMs);
    result.tcp = {status: 'ok', rttMs, message: `reachable in ${rttMs} ms`};
  } catch (error) {
    result.tcp = {status: 'failed', message: fail(error)};
    return finish();
  }

  const credentials = resolveCredentials(directory, options.env);
  if (credentials.kind === 'missing') {
    result.bind = {status: 'needs-credentials', message: credentials.reason};
    return finish();
  }
  let session: LdapSession | undefined;
  let timer: NodeJS.Timeout | undefined;
  let expired = false;
  const adopt = (opened: LdapSession) => {
    session = opened;
    if (expired) opened.destroy();
  };
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = true;
      session?.destroy();
      reject(new DirectoryError('timeout', `no complete answer within ${formatSeconds(timeoutMs)} (the deadline)`));
    }, timeoutMs);
  });
  const steps = (async () => {
    try {
      adopt(await openSession(directory, credentials, {timeoutMs, onClient: adopt}));
      if (expired) return;
    } catch (error) {
      result.bind = {status: 'failed', message: fail(error)};
      return;
    }
    const rttStarted = performance.now();
    let contexts: string[];
    try {
      contexts = await session!.namingContexts();
      result.rttMs = Math.round(performance.now() - rttStarted);
      result.bind = credentials.kind === 'simple' ? {status: 'ok', message: `bound as ${credentials.bindDn}`} : {status: 'anonymous', message: 'anonymous access works'};
    } catch (error) {
      result.bind = {status: 'failed', message: fail(error)};
      return;
    }
    if (directory.baseDn === null) {
      result.base = contexts.length > 0 ? {status: 'ok', message: `unlimited search over ${contexts.join('; ')}`, namingContexts: contexts} : {status: 'ok', message: 'unlimited search: the server lists no namingContexts, the empty base is searched', namingContexts: []};
    } else {
      try {
        const exists = await session!.baseExists(directory.baseDn);
        result.base = exists ? {status: 'ok', message: `${directory.baseDn} exists`} : {status: 'missing', message: `${directory.baseDn} does not exist (or is not visible to this bind)`};
        if (!exists) result.errorKind = 'no-such-base';
      } catch (error) {
        result.base = {status: 'failed', message: fail(error)};
        return;
      }
    }
    result.ok = result.base.status === 'ok';
  })();
  try {
    await Promise.race([steps, deadline]);
  } catch (error) {
    const message = fail(error);
    if (result.bind.status === 'skipped') result.bind = {status: 'failed', message};
    else if (result.base.status === 'skipped') result.base = {status: 'failed', message};
    result.ok = false;
  } finally {
    clearTimeout(timer);
    void steps.then(() => session?.close());
    await session?.close();
  }
  return finish();
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({host, port});
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new DirectoryError('timeout', `TCP connect to ${host}:${port} got no answer within ${formatSeconds(timeoutMs)}`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      const rtt = Math.round(performance.now() - started);
      socket.destroy();
      resolve(rtt);
    });
    socket.once('error', error => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}
