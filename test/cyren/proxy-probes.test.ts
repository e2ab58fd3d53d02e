import {createServer, type Server} from 'node:http';
import {cp, mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {proxyCommand} from '../../source/cyren/command.js';
import {checkProxy, type ProxyCheckOutcome} from '../../source/cyren/proxy-check.js';
import {type ConsoleContext, contextFrom} from '../../source/context.js';
import {SandboxServiceControl} from '../../source/system/services.js';
import {startResolverWorld, type ResolverWorld} from '../harness/resolver-world.js';
import {freePort, startTargetServer, startTinyproxy, type RunningTinyproxy} from '../harness/tinyproxy.js';
import {captureIo} from '../helpers/capture.js';

const sandboxCyren = join(import.meta.dirname, '..', '..', 'examples', 'sandbox', 'CYREN');
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'cyren');
/** The licence part of the fixture's Server_address: it must never be printed. */
const licencePart = 'example-ct';

async function proxy(context: ConsoleContext, args: string[], stdin = '') {
  const {stdout, stderr, io} = captureIo({stdin: Readable.from([Buffer.from(stdin)])});
  const code = await proxyCommand.run(args, context, io);
  return {code, stdout: stdout(), stderr: stderr()};
}

describe('proxy test does what ctasd does, through a real tinyproxy', () => {
  let world: ResolverWorld;
  let tinyproxy: RunningTinyproxy;
  let context: ConsoleContext;
  beforeAll(async () => {
    // resolver1 answers like a resolver; resolver2 is not reachable behind the proxy.
    world = await startResolverWorld({'resolver1.example-ct.ctmail.com': {http: 404, connect: 200}});
    tinyproxy = await startTinyproxy({upstream: world.port});
  });
  afterAll(async () => {
    await Promise.all([tinyproxy?.stop(), world?.stop()]);
  });
  beforeEach(async () => {
    const root = join(await mkdtemp(join(tmpdir(), 'nsp-probes-')), 'root');
    await cp(sandboxCyren, join(root, 'CYREN'), {recursive: true});
    await cp(join(fixtures, 'vendor-shape.conf'), join(root, 'CYREN', 'ctasd.conf'));
    context = contextFrom({root, isDemo: true, stateDir: join(root, '..', 'state'), hostName: 'test', platform: 'linux', ascii: true, color: false, env: process.env});
    return () => rm(join(root, '..'), {recursive: true, force: true});
  });

  it('expands %d to resolver 1 and 2, sends HTTP on port 80 and CONNECT to 443, reports each, masks the licence part', async () => {
    const before = world.requests().length;
    const run = await proxy(context, ['test', '--server', '127.0.0.1', '--port', String(tinyproxy.port), '--json']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as {passed: boolean; source: string; outcome: ProxyCheckOutcome; probes: {method: string; target: string; outcome: string; status?: number}[]};
    expect(result).toMatchObject({passed: false, source: 'ctasd.conf', outcome: 'proxy-error'});
    expect(result.probes.map(probe => `${probe.method} ${probe.target} ${probe.outcome} ${probe.status}`)).toEqual([
      'http resolver1.***.ctmail.com:80 connected 404',
      'connect resolver1.***.ctmail.com:443 connected 200',
      'http resolver2.***.ctmail.com:80 proxy-error 502',
      'connect resolver2.***.ctmail.com:443 proxy-error 502',
    ]);
    expect(run.stdout).not.toContain(licencePart);
    // What reached "the internet" behind the proxy: the real names, the real ports.
    expect(world.requests().slice(before).sort()).toEqual([
      'CONNECT resolver1.example-ct.ctmail.com:443 HTTP/1.1',
      'CONNECT resolver2.example-ct.ctmail.com:443 HTTP/1.1',
      'GET http://resolver1.example-ct.ctmail.com:80/ HTTP/1.1',
      'GET http://resolver2.example-ct.ctmail.com:80/ HTTP/1.1',
    ]);
  });

  it('set on the vendor file writes `Key = value`, restarts, and --check passes when both resolvers answer', async () => {
    const both = await startResolverWorld({'resolver1.example-ct.ctmail.com': {}, 'resolver2.example-ct.ctmail.com': {http: 200}});
    const proxyToBoth = await startTinyproxy({upstream: both.port});
    try {
      const run = await proxy(context, ['set', '--server', '127.0.0.1', '--port', String(proxyToBoth.port), '--yes', '--check']);
      expect(run.stdout).not.toContain(licencePart);
      expect(run.stdout.split('\n').filter(line => /^(OK|FAILED)/.test(line))).toEqual([
        expect.stringMatching(/^OK +HTTP GET http:\/\/resolver1\.\*\*\*\.ctmail\.com\/: Reached: resolver1\.\*\*\*\.ctmail\.com:80 answered 404/),
        expect.stringMatching(/^OK +CONNECT resolver1\.\*\*\*\.ctmail\.com:443: Connected/),
        expect.stringMatching(/^OK +HTTP GET http:\/\/resolver2\.\*\*\*\.ctmail\.com\/: Reached: .* answered 200/),
        expect.stringMatching(/^OK +CONNECT resolver2\.\*\*\*\.ctmail\.com:443: Connected/),
      ]);
      expect(run.code).toBe(0);
      const text = await readFile(join(context.root, 'CYREN', 'ctasd.conf'), 'latin1');
      expect(text).toContain(`\nProxyPort = ${proxyToBoth.port}\nProxyServerAddress = 127.0.0.1\nProxyAuth = NoAuth\n#ProxyUserName =\n#ProxyPassword =\nProxyAccess = 1\n`);
      expect(text.endsWith('Local_view=1')).toBe(true);
    } finally {
      await Promise.all([proxyToBoth.stop(), both.stop()]);
    }
  });

  it('restarting a CYREN service starts its running dependents again and says so', async () => {
    const services = new SandboxServiceControl(context.root);
    const state = await services.load();
    state.services.CyrenHelper = {displayName: 'CYREN helper', status: 'running', dependsOn: ['NspSandboxCyren']};
    await services.save(state);
    const run = await proxy(context, ['set', '--server', 'proxy.corp.test', '--port', '8080', '--yes']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/restarted +NoSpamProxy . CYREN Service \(NspSandboxCyren\), running; dependents started again: CYREN helper/);
    expect((await services.load()).services.CyrenHelper!.status).toBe('running');
  });
});

describe('the HTTP request through a real tinyproxy, fault by fault', () => {
  let open: RunningTinyproxy;
  let authenticated: RunningTinyproxy;
  let target: Awaited<ReturnType<typeof startTargetServer>>;
  /** A loopback HTTP server answering 404 to everything (a resolver's answer to `/`). */
  let http: Server;
  const httpPort = () => (http.address() as {port: number}).port;
  beforeAll(async () => {
    [open, authenticated, target] = await Promise.all([startTinyproxy(), startTinyproxy({basicAuth: {user: 'svc', password: 'right.pass-1'}}), startTargetServer()]);
    http = createServer((_request, response) => response.writeHead(404, {'Content-Length': '0'}).end());
    await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    http?.closeAllConnections();
    await Promise.all([open?.stop(), authenticated?.stop(), target?.stop(), new Promise(resolve => (http ? http.close(resolve) : resolve(undefined)))]);
  });

  const cases: {name: string; run: () => Promise<{outcome: ProxyCheckOutcome}>; outcome: ProxyCheckOutcome}[] = [
    {name: 'a target that answers HTTP', outcome: 'connected', run: () => checkProxy({proxyHost: '127.0.0.1', proxyPort: open.port, target: {host: '127.0.0.1', port: httpPort()}, method: 'http'})},
    {name: 'nothing listens on the target port', outcome: 'proxy-error', run: async () => checkProxy({proxyHost: '127.0.0.1', proxyPort: open.port, target: {host: '127.0.0.1', port: await freePort()}, method: 'http'})},
    {name: 'no credentials for a proxy that wants them', outcome: 'auth-refused', run: () => checkProxy({proxyHost: '127.0.0.1', proxyPort: authenticated.port, target: {host: '127.0.0.1', port: target.port}, method: 'http'})},
    {name: 'nothing listens on the proxy port', outcome: 'refused', run: async () => checkProxy({proxyHost: '127.0.0.1', proxyPort: await freePort(), target: {host: '127.0.0.1', port: target.port}, method: 'http'})},
  ];
  for (const testCase of cases) {
    it(`${testCase.name}: ${testCase.outcome}`, async () => {
      expect((await testCase.run()).outcome).toBe(testCase.outcome);
    });
  }
});
