import {createServer, type Socket} from 'node:net';
import {describe, expect, it} from 'vitest';
import {checkProxy, maxAnswerBytes} from '../../source/cyren/proxy-check.js';

/** A "proxy" on 127.0.0.1 that answers CONNECT with `answer` repeated for as long as the client reads. */
async function endlessProxy(answer: Buffer): Promise<{port: number; sent: () => number; stop: () => Promise<void>}> {
  let sent = 0;
  const sockets = new Set<Socket>();
  const server = createServer(socket => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('data', () => {
      const write = () => {
        while (!socket.destroyed) {
          sent += answer.length;
          if (!socket.write(answer)) return void socket.once('drain', write);
        }
      };
      write();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as {port: number}).port,
    sent: () => sent,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

describe('proxy check against a hostile proxy', () => {
  it.each([
    ['an endless status line', Buffer.alloc(64 * 1024, 0x41), /did not answer like an HTTP proxy/],
    ['an endless header after a 200 status line', Buffer.from('HTTP/1.1 200 Connection established\r\nX: ' + 'y'.repeat(60_000)), /Connected/],
  ])('%s: decided from the first %s bytes at most, at once', async (_label, answer, message) => {
    const proxy = await endlessProxy(answer);
    try {
      const before = process.memoryUsage().rss;
      const result = await checkProxy({proxyHost: '127.0.0.1', proxyPort: proxy.port, target: {host: 'ctmail.com', port: 443}, timeoutMs: 5000});
      expect(result.message).toMatch(message);
      expect(result.durationMs).toBeLessThan(5000);
      expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
      expect(maxAnswerBytes).toBeLessThanOrEqual(8192);
    } finally {
      await proxy.stop();
    }
  });
});
