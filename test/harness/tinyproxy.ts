import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {connect, createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/**
 * A real tinyproxy on 127.0.0.1 for tests: its own config in a temp folder, foreground (-d), its
 * own port, ready when the port accepts connections, killed by stop(). tinyproxy's BasicAuth
 * accepts only [-a-z0-9._] in user and password.
 */
export interface RunningTinyproxy {
  port: number;
  log(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as {port: number};
  await new Promise(resolve => server.close(resolve));
  return port;
}

export async function waitForPort(port: number, timeoutMs = 10_000, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>(resolve => {
      const socket = connect({host: '127.0.0.1', port});
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (!isAlive()) throw new Error(`the process that should listen on 127.0.0.1:${port} has exited`);
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

/** upstream: a loopback port every request is forwarded to (tinyproxy's `Upstream http`), so target names need no DNS. */
export async function startTinyproxy(options: {basicAuth?: {user: string; password: string}; upstream?: number} = {}): Promise<RunningTinyproxy> {
  const dir = await mkdtemp(join(tmpdir(), 'nsp-tinyproxy-'));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const config = [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 30',
      'MaxClients 20',
      'Allow 127.0.0.1',
      'LogLevel Info',
      ...(options.basicAuth ? [`BasicAuth ${options.basicAuth.user} ${options.basicAuth.password}`] : []),
      ...(options.upstream ? [`Upstream http 127.0.0.1:${options.upstream}`] : []),
    ].join('\n');
    const configPath = join(dir, 'tinyproxy.conf');
    await writeFile(configPath, `${config}\n`);
    const child: ChildProcess = spawn('tinyproxy', ['-d', '-c', configPath], {stdio: ['ignore', 'pipe', 'pipe']});
    let output = '';
    let exited = false;
    child.stdout?.on('data', chunk => (output += String(chunk)));
    child.stderr?.on('data', chunk => (output += String(chunk)));
    child.on('exit', () => (exited = true));
    child.on('error', error => {
      exited = true;
      output += `spawn failed: ${error.message}`;
    });
    try {
      await waitForPort(port, 10_000, () => !exited);
    } catch (error) {
      child.kill('SIGKILL');
      if (attempt < 3 && /Address already in use|exited/.test(`${output} ${(error as Error).message}`)) continue;
      await rm(dir, {recursive: true, force: true});
      throw new Error(`tinyproxy did not start: ${(error as Error).message}\n${output}`);
    }
    return {
      port,
      log: () => output,
      async stop() {
        if (!exited) {
          const gone = new Promise(resolve => child.once('exit', resolve));
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
          await gone;
          clearTimeout(timer);
        }
        await rm(dir, {recursive: true, force: true});
      },
    };
  }
}

/** A loopback TCP server the proxy can tunnel to (answers "hello" and keeps the connection). */
export async function startTargetServer(): Promise<{port: number; connections: () => number; stop: () => Promise<void>}> {
  let count = 0;
  const server: Server = createServer(socket => {
    count++;
    socket.on('error', () => {});
    socket.write('hello\r\n');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as {port: number}).port,
    connections: () => count,
    stop: () => new Promise(resolve => server.close(() => resolve())),
  };
}

/** Accepts connections and never answers: a proxy that hangs (time-out case). */
export async function startSilentServer(): Promise<{port: number; stop: () => Promise<void>}> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer(socket => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as {port: number}).port,
    stop: () =>
      new Promise(resolve => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
