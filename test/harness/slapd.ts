// A throw-away OpenLDAP slapd on 127.0.0.1 for tests and benchmarks: Debian's /usr/sbin/slapd in the
// foreground with a temporary slapd.conf, data loaded with slapadd before it starts, always killed.
import {spawn, execFileSync, type ChildProcess} from 'node:child_process';
import {closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {connect, createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export const slapdBinary = '/usr/sbin/slapd';
export const slapaddBinary = '/usr/sbin/slapadd';
const schemaFolder = '/etc/ldap/schema';

export interface SlapdOptions {
  /** Default "dc=test,dc=example". */
  suffix?: string;
  /** The directory's entries below the suffix, as LDIF (the suffix entry itself is added). */
  ldif?: string;
  /** TLS certificate and key: enables StartTLS on the ldap:// port and an ldaps:// port. */
  tls?: {certFile: string; keyFile: string; caFile: string};
  /** Server-side size limit (slapd.conf "sizelimit"). */
  sizeLimit?: number;
  /** Only bound users may search (anonymous binds refused). */
  bindOnly?: boolean;
  /** Password of cn=admin,<suffix> (the rootdn). */
  rootPassword?: string;
  /** Picks each port to listen on (default freePort); the harness test makes it return a taken one. */
  pickPort?: () => Promise<number>;
}

export interface RunningSlapd {
  suffix: string;
  rootDn: string;
  rootPassword: string;
  port: number;
  /** ldap://127.0.0.1:<port> */
  url: string;
  ldapsPort?: number;
  ldapsUrl?: string;
  folder: string;
  /** slapd's stderr so far (errors only at -d 32768). */
  log(): string;
  stop(): Promise<void>;
}

/** Launches of slapd when the port picked was taken before slapd could bind it. */
const maxStartAttempts = 5;

/** A port nothing listens on right now (bound, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect({port, host});
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startSlapd(options: SlapdOptions = {}): Promise<RunningSlapd> {
  const suffix = options.suffix ?? 'dc=test,dc=example';
  const rootDn = `cn=admin,${suffix}`;
  const rootPassword = options.rootPassword ?? 'admin-secret';
  const folder = mkdtempSync(join(tmpdir(), 'nsp-slapd-'));
  const databaseFolder = join(folder, 'db');
  mkdirSync(databaseFolder);
  const access = options.bindOnly
    ? ['access to attrs=userPassword by self read by anonymous auth by * none', 'access to * by users read by anonymous auth by * none']
    : ['access to attrs=userPassword by self read by anonymous auth by * none', 'access to * by * read'];
  const config = [
    ...['core', 'cosine', 'inetorgperson'].map(schema => `include ${schemaFolder}/${schema}.schema`),
    `pidfile ${join(folder, 'slapd.pid')}`,
    `argsfile ${join(folder, 'slapd.args')}`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    ...(options.sizeLimit !== undefined ? [`sizelimit ${options.sizeLimit}`] : []),
    ...(options.tls ? [`TLSCACertificateFile ${options.tls.caFile}`, `TLSCertificateFile ${options.tls.certFile}`, `TLSCertificateKeyFile ${options.tls.keyFile}`] : []),
    ...(options.bindOnly ? ['disallow bind_anon', 'require authc'] : []),
    'database mdb',
    'maxsize 268435456',
    `suffix "${suffix}"`,
    `rootdn "${rootDn}"`,
    `rootpw ${rootPassword}`,
    `directory ${databaseFolder}`,
    'index objectClass eq',
    'index mail eq',
    ...access,
    // cn=Monitor lets tests count the connections a client opened.
    'database monitor',
    'access to * by * read',
    '',
  ].join('\n');
  const configFile = join(folder, 'slapd.conf');
  writeFileSync(configFile, config);
  const top = suffix.split(',')[0]!.split('=');
  const ldif = `dn: ${suffix}\nobjectClass: dcObject\nobjectClass: organization\n${top[0]}: ${top[1]}\no: ${top[1]}\n\n${options.ldif ?? ''}`;
  const ldifFile = join(folder, 'data.ldif');
  writeFileSync(ldifFile, ldif);
  try {
    execFileSync(slapaddBinary, ['-q', '-f', configFile, '-l', ldifFile], {stdio: ['ignore', 'pipe', 'pipe']});
  } catch (error) {
    rmSync(folder, {recursive: true, force: true});
    throw new Error(`slapadd failed: ${(error as {stderr?: Buffer}).stderr?.toString() ?? String(error)}`);
  }

  attempts: for (let attempt = 1; ; attempt++) {
    const pickPort = options.pickPort ?? freePort;
    const port = await pickPort();
    const ldapsPort = options.tls ? await pickPort() : undefined;
    const urls = [`ldap://127.0.0.1:${port}/`, ...(ldapsPort ? [`ldaps://127.0.0.1:${ldapsPort}/`] : [])];
    // stderr goes to a file, not a pipe: slapd logs a line per deferred operation (more than 8 in
    // flight on one connection), and a pipe its parent does not drain (a benchmark blocked in
    // execFileSync) would fill and stop slapd mid-run.
    const logFile = join(folder, attempt === 1 ? 'slapd.log' : `slapd-${attempt}.log`);
    const logFd = openSync(logFile, 'a');
    const child = spawn(slapdBinary, ['-d', '32768', '-f', configFile, '-h', urls.join(' ')], {stdio: ['ignore', 'ignore', logFd]});
    closeSync(logFd);
    running.add(child);
    let finalLog: string | undefined;
    const readLog = () => {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return finalLog ?? '';
      }
    };
    let exited = false;
    const exitedPromise = new Promise<void>(resolve =>
      child.once('exit', () => {
        exited = true;
        running.delete(child);
        resolve();
      }),
    );
    const stop = async () => {
      if (!exited) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exitedPromise;
        clearTimeout(killer);
      }
      finalLog = readLog();
      rmSync(folder, {recursive: true, force: true});
    };
    // The start-up log line comes before slapd listens: readiness is a successful TCP connect.
    const readyBy = Date.now() + 15_000;
    for (;;) {
      if (exited) {
        // freePort() releases its port before slapd binds it: a test file running alongside may
        // take it in between (seen in CI). Another port is tried, in the same folder.
        if (attempt < maxStartAttempts && /errno=98 \(Address already in use\)/.test(readLog())) continue attempts;
        await stop();
        throw new Error(`slapd exited during start-up:\n${finalLog}`);
      }
      if ((await canConnect(port)) && (ldapsPort === undefined || (await canConnect(ldapsPort)))) {
        // Whoever took the port answers too: slapd is ready when it still runs a moment later
        // (it gives up on a taken port right after it starts).
        await new Promise(resolve => setTimeout(resolve, 100));
        if (!exited) break;
        continue;
      }
      if (Date.now() > readyBy) {
        await stop();
        throw new Error(`slapd did not listen on 127.0.0.1:${port} within 15 s:\n${finalLog}`);
      }
      await new Promise(resolve => setTimeout(resolve, 25));
    }
    return {
      suffix,
      rootDn,
      rootPassword,
      port,
      url: `ldap://127.0.0.1:${port}`,
      ldapsPort,
      ldapsUrl: ldapsPort ? `ldaps://127.0.0.1:${ldapsPort}` : undefined,
      folder,
      log: readLog,
      stop,
    };
  }
}

/** Connections slapd has accepted since it started (cn=Total,cn=Connections,cn=Monitor). */
export function totalConnections(slapd: RunningSlapd): Promise<number> {
  return monitorCounter(slapd, 'cn=Total,cn=Connections,cn=Monitor');
}

/** Connections open right now, including the one asking (cn=Current,cn=Connections,cn=Monitor). */
export function currentConnections(slapd: RunningSlapd): Promise<number> {
  return monitorCounter(slapd, 'cn=Current,cn=Connections,cn=Monitor');
}

async function monitorCounter(slapd: RunningSlapd, dn: string): Promise<number> {
  const {Client} = await import('ldapts');
  const client = new Client({url: slapd.url, timeout: 5_000, connectTimeout: 5_000});
  try {
    // Bound as the rootdn so a bind-only server answers too.
    await client.bind(slapd.rootDn, slapd.rootPassword);
    const {searchEntries} = await client.search(dn, {scope: 'base', attributes: ['monitorCounter']});
    return Number(searchEntries[0]?.monitorCounter);
  } finally {
    await client.unbind();
  }
}

/** One LDIF entry; Buffers become base64 (binary attributes such as userCertificate;binary). */
export function ldifEntry(dn: string, attributes: Record<string, string | Buffer | (string | Buffer)[]>): string {
  const lines = [`dn: ${dn}`];
  for (const [name, raw] of Object.entries(attributes)) {
    for (const item of Array.isArray(raw) ? raw : [raw]) {
      const plain = typeof item === 'string' && /^[\x20-\x7e]*$/.test(item) && !item.startsWith(' ') && !item.startsWith(':') && !item.startsWith('<');
      lines.push(plain ? `${name}: ${item}` : `${name}:: ${Buffer.from(item).toString('base64')}`);
    }
  }
  return `${lines.join('\n')}\n\n`;
}

/** A socket that accepts connections and never answers (the deadline must hold against it). */
export async function startBlackhole(): Promise<{port: number; stop(): Promise<void>}> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer(socket => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    stop: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
