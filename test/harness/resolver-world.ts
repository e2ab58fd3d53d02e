import {createServer, type Server, type Socket} from 'node:net';

/**
 * "The internet" behind a real tinyproxy in tests: an upstream HTTP proxy on 127.0.0.1 that
 * tinyproxy forwards every request to (its `Upstream http` setting), so CYREN resolver names such as
 * resolver1.example-ct.ctmail.com need no DNS and no packet leaves loopback. Each host answers as
 * the test says; every request line is recorded.
 */
export interface HostBehaviour {
  /** Status for a GET (default 404, as a resolver answers `/`); 'unreachable' = 502 as a proxy says. */
  http?: number | 'unreachable';
  /** Status for a CONNECT (default 200); 'unreachable' = 502. */
  connect?: number | 'unreachable';
}

export interface ResolverWorld {
  port: number;
  /** Request lines in arrival order, e.g. `GET http://resolver1.x.ctmail.com:80/ HTTP/1.1`. */
  requests(): string[];
  stop(): Promise<void>;
}

export async function startResolverWorld(hosts: Record<string, HostBehaviour>): Promise<ResolverWorld> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const statusLine = (status: number | 'unreachable') => (status === 'unreachable' ? 'HTTP/1.1 502 Bad Gateway' : `HTTP/1.1 ${status} ${status === 200 ? 'OK' : 'Answer'}`);
  const server: Server = createServer(socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let head = '';
    socket.on('data', chunk => {
      head += String(chunk);
      if (!head.includes('\r\n\r\n')) return;
      const line = head.split('\r\n')[0]!;
      head = '';
      requests.push(line);
      const [method, target] = line.split(' ');
      const host = (method === 'CONNECT' ? target! : new URL(target!).hostname).replace(/:\d+$/, '').toLowerCase();
      const behaviour = hosts[host];
      if (method === 'CONNECT') {
        const status = behaviour ? (behaviour.connect ?? 200) : 'unreachable';
        socket.write(`${statusLine(status)}\r\n${status === 200 ? '' : 'Content-Length: 0\r\n'}\r\n`);
        if (status !== 200) socket.end();
        return;
      }
      const status = behaviour ? (behaviour.http ?? 404) : 'unreachable';
      socket.end(`${statusLine(status)}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as {port: number}).port,
    requests: () => [...requests],
    stop: () =>
      new Promise(resolve => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
