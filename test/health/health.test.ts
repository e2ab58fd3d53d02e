import {cp, mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {type ConsoleContext, contextFrom} from '../../source/context.js';
import {healthCommand} from '../../source/health/command.js';
import {runHealth} from '../../source/health/run.js';
import type {HealthReport} from '../../source/health/types.js';
import {parseWevtutilText} from '../../source/health/windows-probes.js';
import {writeJournal} from '../../source/logflow/journal.js';
import {createArgvStub, type ArgvStub} from '../harness/argv-stub.js';
import {createPowerShellStub, type PowerShellStub} from '../harness/powershell-stub.js';
import {freePort} from '../harness/tinyproxy.js';
import {captureIo} from '../helpers/capture.js';

const sandboxCyren = join(import.meta.dirname, '..', '..', 'examples', 'sandbox', 'CYREN');
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'cyren');

/** wevtutil's text format, newest first (/rd:true), written by hand. */
const twoEvents = [
  'Event[0]:',
  '  Log Name: Net at Work Mail Gateway',
  '  Source: NoSpamProxy Gateway Role',
  '  Date: 2026-12-03T07:41:12.0000000Z',
  '  Event ID: 4012',
  '  Task: N/A',
  '  Level: Error',
  '  Description: ',
  'The connection to the intranet role failed.',
  '',
  'Event[1]:',
  '  Log Name: Net at Work Mail Gateway',
  '  Source: NoSpamProxy Gateway Role',
  '  Date: 2026-12-03T06:02:00.0000000Z',
  '  Event ID: 2210',
  '  Level: Warning',
  '  Description: ',
  'A certificate expires in 20 days.',
  '',
].join('\r\n');

let base: string;
let context: ConsoleContext;
let powershell: PowerShellStub;
let tools: ArgvStub;
const undo: (() => void)[] = [];

async function run(args: string[]) {
  const {stdout, io} = captureIo({stdin: Readable.from([])});
  const code = await healthCommand.run(args, context, io);
  return {code, stdout: stdout()};
}

const line = (report: HealthReport, id: string) => report.sections.flatMap(section => section.lines).find(entry => entry.id === id);

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'nsp-health-'));
  const root = join(base, 'root');
  await cp(sandboxCyren, join(root, 'CYREN'), {recursive: true});
  await mkdir(join(root, 'Logs'), {recursive: true});
  await writeFile(join(root, 'Logs', 'gateway.log'), 'x'.repeat(2048));
  // A Windows server as far as the console can tell: Windows tools are stand-ins on PATH.
  context = contextFrom({root, isDemo: false, stateDir: join(base, 'state'), hostName: 'gw1', platform: 'win32', ascii: true, color: false, env: process.env});
  powershell = await createPowerShellStub({
    NetatworkMailGatewayGatewayRole: {DisplayName: 'NoSpamProxy - Gateway Role', Status: 'Running', StartType: 'Automatic'},
    NetatworkMailGatewayIntranetRole: {DisplayName: 'NoSpamProxy - Intranet Role', Status: 'Running', StartType: 'Automatic'},
    CtasdSvc: {DisplayName: 'NoSpamProxy \u2013 CYREN Service', Status: 'Running', StartType: 'Automatic'},
    CtipdSvc: {DisplayName: 'NoSpamProxy \u2013 CYREN IP Reputation Service', Status: 'Running', StartType: 'Automatic'},
    CtwsdSvc: {DisplayName: 'NoSpamProxy \u2013 CYREN URL Categorization Service', Status: 'Running', StartType: 'Automatic'},
  });
  tools = await createArgvStub({reg: [], wevtutil: [{stdout: ''}]}, {'HKLM\\SOFTWARE\\NoSpamProxy\\Components\\Intranet Role': {type: 'REG_SZ', data: ['15.2.1.7']}});
  undo.push(powershell.activate(), tools.activate());
});
afterEach(async () => {
  while (undo.length > 0) undo.pop()!();
  await Promise.all([powershell.cleanup(), tools.cleanup(), rm(base, {recursive: true, force: true})]);
});

describe('health on a healthy server (Windows tools as stand-ins)', () => {
  it('reports every section ok, exits 0 with --json, and asked the right tools', async () => {
    const {code, stdout} = await run(['--json']);
    const report = JSON.parse(stdout) as HealthReport;
    expect(code).toBe(0);
    expect(report.attention).toBe(false);
    expect(report.sections.map(section => section.id)).toEqual(['services', 'version', 'events', 'disk', 'logs', 'logging', 'cyren', 'keyservers']);
    expect(line(report, 'service:NetatworkMailGatewayGatewayRole')).toMatchObject({status: 'ok', text: 'NoSpamProxy - Gateway Role (NetatworkMailGatewayGatewayRole): running, start type automatic'});
    expect(line(report, 'service:CtwsdSvc')?.status).toBe('ok');
    expect(line(report, 'version')).toMatchObject({status: 'ok', text: 'NoSpamProxy 15.2.1.7'});
    expect(line(report, 'events')).toMatchObject({status: 'ok'});
    expect(line(report, 'logs:Gateway Role gw1')).toMatchObject({status: 'ok', text: expect.stringMatching(/1 file, 2 KB$/)});
    expect(line(report, 'logging')).toMatchObject({status: 'ok'});
    const [query] = await tools.calls('wevtutil');
    expect(query!.argv.slice(0, 2)).toEqual(['qe', 'Net at Work Mail Gateway']);
    expect(query!.argv).toContain('/rd:true');
    expect((await tools.calls('reg'))[0]!.argv).toEqual(['query', 'HKLM\\SOFTWARE\\NoSpamProxy\\Components', '/v', 'Intranet Role', '/reg:64']);
  });
});

describe('health: what needs attention, one case per line (a new case is one row)', () => {
  const cases: {name: string; arrange: () => Promise<void>; id: string; status: string; text: RegExp; screen?: RegExp}[] = [
    {
      name: 'a stopped automatic service',
      arrange: async () => {
        undo.pop()!();
        undo.pop()!();
        await powershell.cleanup();
        powershell = await createPowerShellStub({NetatworkMailGatewayGatewayRole: {DisplayName: 'NoSpamProxy - Gateway Role', Status: 'Stopped', StartType: 'Automatic'}});
        undo.push(powershell.activate(), tools.activate());
      },
      id: 'service:NetatworkMailGatewayGatewayRole',
      status: 'attention',
      text: /stopped, start type automatic/,
      screen: /services\.msc/,
    },
    {
      name: 'errors in the event log',
      arrange: async () => {
        await tools.cleanup();
        undo.pop()!();
        tools = await createArgvStub({reg: [], wevtutil: [{stdout: twoEvents}]});
        undo.push(tools.activate());
      },
      id: 'events',
      status: 'attention',
      text: /^2 events in the last 24 h \(1 error, 1 warning\); newest 2:$/,
      screen: /Support data bundle/,
    },
    {
      name: 'an unreachable log share',
      arrange: () => writeFile(join(context.stateDir, 'settings.json'), JSON.stringify({roles: [{name: 'DMZ gateway', driver: 'guided', location: '\\\\gw2\\d$\\NSP-Logs'}]})),
      id: 'logs:DMZ gateway',
      status: 'attention',
      text: /\\\\gw2\\d\$\\NSP-Logs is UNREACHABLE/,
      screen: /Troubleshooting logs/,
    },
    {
      name: 'logging left on by an interrupted run',
      arrange: async () => {
        const roles = [{name: 'Gateway Role gw1', driver: 'guided' as const, location: join(context.root, 'Logs'), logging: 'on' as const}];
        await writeJournal(context.stateDir, {version: 1, ownerPid: 999_999_999, watchdogGraceMs: 1, commandTimeoutMs: 1, history: [], state: {runId: 'r1', phase: 'waiting', roles, protocols: ['smtp'], waitMs: 1000} as never});
      },
      id: 'logging',
      status: 'attention',
      text: /may still be ON/,
      screen: /logflow stop/,
    },
    {
      name: 'half-set CYREN proxy lines',
      arrange: () => cp(join(fixtures, 'duplicated.conf'), join(context.root, 'CYREN', 'ctasd.conf')),
      id: 'cyren:ctasd.conf',
      status: 'attention',
      text: /half set/,
      screen: /CYREN proxy settings/,
    },
    {
      name: 'a configured key server that does not answer',
      arrange: async () => writeFile(join(context.stateDir, 'settings.json'), JSON.stringify({keyservers: [{id: 'corp', name: 'Corp LDAP', url: `ldap://127.0.0.1:${await freePort()}`, baseDn: 'o=corp'}]})),
      id: 'keyserver:corp',
      status: 'attention',
      text: /Corp LDAP .* does not answer/,
      screen: /Key-server lookup/,
    },
  ];
  for (const testCase of cases) {
    it(`${testCase.name}: ${testCase.status}, says what to do and where, exit 1`, async () => {
      await mkdir(context.stateDir, {recursive: true});
      await testCase.arrange();
      const {code, stdout} = await run(['--json']);
      const report = JSON.parse(stdout) as HealthReport;
      const found = line(report, testCase.id);
      expect(found?.status).toBe(testCase.status);
      expect(found?.text).toMatch(testCase.text);
      expect(found?.next?.length).toBeGreaterThan(0);
      if (testCase.screen) expect(found?.screen).toMatch(testCase.screen);
      expect(code).toBe(1);
      expect(report.attention).toBe(true);
    });
  }
});

describe('health deadlines', () => {
  it('a tool that hangs is reported as no answer within the deadline, the rest still answers', async () => {
    await tools.cleanup();
    undo.pop()!();
    // wevtutil that never ends: the probe's deadline kills it.
    tools = await createArgvStub({reg: [], wevtutil: [{stdout: ''}]}, {'HKLM\\SOFTWARE\\NoSpamProxy\\Components\\Intranet Role': {type: 'REG_SZ', data: ['15.2.1.7']}});
    await writeFile(join(tools.dir, 'wevtutil'), `#!${process.execPath}\nsetInterval(() => {}, 1000);\n`);
    undo.push(tools.activate());
    const started = Date.now();
    const report = await runHealth(context, {probeTimeoutMs: 2_500});
    // The deadline plus the time to kill the process tree; the hanging tool never holds the view.
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(line(report, 'events')).toMatchObject({status: 'unknown', text: expect.stringMatching(/did not answer within 2\.5 s|No answer within/)});
    expect(line(report, 'version')).toMatchObject({status: 'ok', text: 'NoSpamProxy 15.2.1.7'});
  });

  it('the probes run at once: two slow tools (2 s each) hold the view about 2 s, not 4', async () => {
    await tools.cleanup();
    undo.pop()!();
    tools = await createArgvStub({reg: [], wevtutil: [{stdout: ''}]});
    // reg and wevtutil that each take 2 s: one after the other would take 4 s or more.
    const slow = (output: string) => `#!${process.execPath}\nsetTimeout(() => process.stdout.write(${JSON.stringify(output)}), 2000);\n`;
    await writeFile(join(tools.dir, 'reg'), slow('\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\NoSpamProxy\\Components\r\n    Intranet Role    REG_SZ    15.2.1.7\r\n'));
    await writeFile(join(tools.dir, 'wevtutil'), slow(''));
    undo.push(tools.activate());
    const started = Date.now();
    const report = await runHealth(context, {probeTimeoutMs: 10_000});
    const elapsed = Date.now() - started;
    expect(line(report, 'version')).toMatchObject({status: 'ok', text: 'NoSpamProxy 15.2.1.7'});
    expect(line(report, 'events')).toMatchObject({status: 'ok'});
    const took = (id: string) => report.sections.find(section => section.id === id)!.durationMs;
    expect(Math.min(took('version'), took('events'))).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(3_500);
  });

  it('refuses a --timeout out of range', async () => {
    await expect(run(['--timeout', '5'])).rejects.toThrow(/from 500 to 60000/);
  });
});

describe('wevtutil text', () => {
  it('gives date, level, source, id and the first line of each description, newest first', () => {
    expect(parseWevtutilText(twoEvents)).toEqual([
      {at: '2026-12-03T07:41:12.0000000Z', level: 'Error', source: 'NoSpamProxy Gateway Role', id: '4012', message: 'The connection to the intranet role failed.'},
      {at: '2026-12-03T06:02:00.0000000Z', level: 'Warning', source: 'NoSpamProxy Gateway Role', id: '2210', message: 'A certificate expires in 20 days.'},
    ]);
  });
});
