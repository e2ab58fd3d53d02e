import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {main} from '../../source/cli.js';
import {sandboxServicesFile} from '../../source/system/sandbox-services.js';
import {captureIo} from '../helpers/capture.js';

// The demo's services change at once: a restart that fails there must say why at once, never
// pretend a time-out ("not running after 60 s") that nobody waited for.

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'nsp-demo-services-'));
});
afterEach(() => rm(stateDir, {recursive: true, force: true}));

/** The demo console (no NoSpamProxy installation: the sandbox copy in the state dir), in-process. */
async function demo(argv: string[]) {
  const captured = captureIo();
  const started = Date.now();
  const code = await main(['--state-dir', stateDir, ...argv], captured.io, {...process.env, NSP_ROOT: '', NSP_CONSOLE_STATE_DIR: ''});
  return {code, out: captured.stdout() + captured.stderr(), ms: Date.now() - started};
}

const cyren = (failing: string) => ({
  NspSandboxCyren: {displayName: 'NoSpamProxy \u2013 CYREN Service', status: 'running', failsToStart: failing === 'NspSandboxCyren'},
  NspSandboxCyrenIpReputation: {displayName: 'NoSpamProxy \u2013 CYREN IP Reputation Service', status: 'running', failsToStart: failing === 'NspSandboxCyrenIpReputation'},
  NspSandboxCyrenUrlCategorization: {displayName: 'NoSpamProxy \u2013 CYREN URL Categorization Service', status: 'running'},
});

const cases = [
  {
    name: 'proxy set, a CYREN service does not come back',
    services: cyren('NspSandboxCyrenIpReputation'),
    argv: ['proxy', 'set', '--server', '10.9.8.7', '--port', '3128', '--yes'],
    says: /FAILED\s+NoSpamProxy . CYREN IP Reputation Service \(NspSandboxCyrenIpReputation\): NoSpamProxy . CYREN IP Reputation Service did not start: it stopped right after the start/,
  },
  {
    name: 'proxy set, a dependent of a CYREN service does not come back',
    services: {...cyren(''), Helper: {displayName: 'CYREN helper', status: 'running', dependsOn: ['NspSandboxCyren'], failsToStart: true}},
    argv: ['proxy', 'set', '--server', '10.9.8.7', '--port', '3128', '--yes'],
    says: /CYREN helper \(did not start: it stopped right after the start/,
  },
  {
    name: 'tcp-tunnel enable, the gateway role does not come back',
    services: {NetatworkMailGatewayGatewayRole: {displayName: 'NoSpamProxy - Gateway Role', status: 'running', failsToStart: true}},
    argv: ['recipe', 'tcp-tunnel', 'enable', '--yes'],
    says: /NetatworkMailGatewayGatewayRole did not start: it stopped right after the start/,
  },
];

describe('a demo service that fails to start says its real reason at once', () => {
  it.each(cases)('$name', async ({services, argv, says}) => {
    // The first command makes the sandbox copy; then the demo's services are set up to fail.
    expect((await demo(['info', '--json'])).code).toBe(0);
    await writeFile(join(stateDir, 'sandbox', sandboxServicesFile), JSON.stringify({services, log: []}));
    const run = await demo(argv);
    expect(run.code, run.out).not.toBe(0);
    expect(run.out).toMatch(says);
    expect(run.out).not.toMatch(/after \d+ s/);
    // Nothing was waited for: the answer is there in far less than any service time-out.
    expect(run.ms).toBeLessThan(10_000);
  });
});
