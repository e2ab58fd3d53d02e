import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {checkProxy} from '../../source/cyren/proxy-check.js';
import {freePort, startSilentServer, startTargetServer, startTinyproxy, type RunningTinyproxy} from '../harness/tinyproxy.js';

describe('proxy check against a real tinyproxy on loopback', () => {
  let open: RunningTinyproxy;
  let authenticated: RunningTinyproxy;
  let target: Awaited<ReturnType<typeof startTargetServer>>;
  const credentials = {user: 'cyren-svc', password: 's3cr.t-9'};
  beforeAll(async () => {
    [open, authenticated, target] = await Promise.all([startTinyproxy(), startTinyproxy({basicAuth: credentials}), startTargetServer()]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), authenticated?.stop(), target?.stop()]);
  });

  it('connects through a proxy without authentication', async () => {
    const before = target.connections();
    const result = await checkProxy({proxyHost: '127.0.0.1', proxyPort: open.port, target: {host: '127.0.0.1', port: target.port}});
    expect(result).toMatchObject({outcome: 'connected', status: 200});
    // The tunnel really reached the target (its accept may be seen a moment after the 200).
    for (let i = 0; i < 100 && target.connections() === before; i++) await new Promise(resolve => setTimeout(resolve, 20));
    expect(target.connections()).toBe(before + 1);
  });

  it('connects with the right Basic credentials', async () => {
    const result = await checkProxy({proxyHost: '127.0.0.1', proxyPort: authenticated.port, target: {host: '127.0.0.1', port: target.port}, credentials});
    expect(result.outcome).toBe('connected');
  });

  it('reports 407 for wrong credentials and for none', async () => {
    const wrong = await checkProxy({proxyHost: '127.0.0.1', proxyPort: authenticated.port, target: {host: '127.0.0.1', port: target.port}, credentials: {user: 'cyren-svc', password: 'wrong'}});
    expect(wrong.outcome).toBe('auth-refused');
    expect([401, 407]).toContain(wrong.status);
    expect(wrong.message).toMatch(/refused the user name and password/);
    const none = await checkProxy({proxyHost: '127.0.0.1', proxyPort: authenticated.port, target: {host: '127.0.0.1', port: target.port}});
    expect(none).toMatchObject({outcome: 'auth-refused', status: 407});
    expect(none.message).toMatch(/requires authentication/);
  });

  it('reports the proxy\'s error when it cannot reach the target', async () => {
    const closedPort = await freePort();
    const result = await checkProxy({proxyHost: '127.0.0.1', proxyPort: open.port, target: {host: '127.0.0.1', port: closedPort}});
    expect(result.outcome).toBe('proxy-error');
    expect(result.status).toBeGreaterThanOrEqual(500);
  });

  it('reports refused when nothing listens on the proxy port', async () => {
    const result = await checkProxy({proxyHost: '127.0.0.1', proxyPort: await freePort(), target: {host: '127.0.0.1', port: target.port}});
    expect(result.outcome).toBe('refused');
  });

  it('reports a time-out when the proxy never answers', async () => {
    const silent = await startSilentServer();
    try {
      const result = await checkProxy({proxyHost: '127.0.0.1', proxyPort: silent.port, target: {host: '127.0.0.1', port: target.port}, timeoutMs: 300});
      expect(result.outcome).toBe('timeout');
    } finally {
      await silent.stop();
    }
  });

  it('reports a DNS failure for a proxy host name that cannot resolve', async () => {
    // .invalid never resolves (RFC 2606); no packet reaches any proxy.
    const result = await checkProxy({proxyHost: 'nsp-console-test.invalid', proxyPort: 3128, target: {host: '127.0.0.1', port: target.port}, timeoutMs: 20_000});
    expect(result.outcome).toBe('dns');
  });
});
