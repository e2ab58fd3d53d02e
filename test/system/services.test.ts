import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {
  SandboxServiceControl,
  WindowsServiceControl,
  displayNameWildcard,
  displayNamesMatch,
  powershellScripts,
  restartAndReport,
  sandboxServicesFile,
  serviceControlFor,
  type SandboxServicesState,
} from '../../source/system/services.js';
import {createPowerShellStub, type PowerShellStub} from '../harness/powershell-stub.js';

describe('display names', () => {
  it('match whatever the dash and case', () => {
    expect(displayNamesMatch('NoSpamProxy \u2013 CYREN Service', 'NoSpamProxy - cyren  service')).toBe(true);
    expect(displayNamesMatch('NoSpamProxy \u2013 CYREN Service', 'NoSpamProxy - CYREN IP Reputation Service')).toBe(false);
  });
  it('become a Get-Service wildcard with escaped wildcard characters', () => {
    expect(displayNameWildcard('NoSpamProxy \u2013 CYREN [x]*?')).toBe('NoSpamProxy ? CYREN `[x`]`*`?');
  });
});

describe('SandboxServiceControl', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'nsp-services-'));
  });
  afterEach(async () => {
    await rm(root, {recursive: true, force: true});
  });

  it('is chosen everywhere except a real Windows installation', () => {
    expect(serviceControlFor({platform: 'linux', isDemo: false, root}).kind).toBe('sandbox');
    expect(serviceControlFor({platform: 'win32', isDemo: true, root}).kind).toBe('sandbox');
    expect(serviceControlFor({platform: 'win32', isDemo: false, root}).kind).toBe('windows');
  });

  it('finds the CYREN services by display name with a hyphen and restarts them, recording it in the sandbox', async () => {
    const control = new SandboxServiceControl(root);
    const [service] = await control.findByDisplayName('NoSpamProxy - CYREN IP Reputation Service');
    expect(service).toMatchObject({name: 'NspSandboxCyrenIpReputation', status: 'running'});
    expect(await control.findByName('netatworkmailgatewaygatewayrole')).toMatchObject({name: 'NetatworkMailGatewayGatewayRole'});
    const report = await restartAndReport(control, service!.name);
    expect(report).toMatchObject({ok: true, finalStatus: 'running'});
    const state = JSON.parse(await readFile(join(root, sandboxServicesFile), 'utf8')) as SandboxServicesState;
    expect(state.log.map(entry => `${entry.action}:${entry.name}:${entry.result}`)).toEqual(['stop:NspSandboxCyrenIpReputation:stopped', 'start:NspSandboxCyrenIpReputation:running']);
    expect(state.services.NspSandboxCyrenIpReputation!.restarts).toBe(1);
  });

  it('reports a service that does not come back, and one that does not exist', async () => {
    const control = new SandboxServiceControl(root);
    const state = await control.load();
    state.services.NspSandboxCyren!.failsToStart = true;
    await control.save(state);
    const report = await restartAndReport(control, 'NspSandboxCyren', {timeoutMs: 1000});
    expect(report.ok).toBe(false);
    expect(report.finalStatus).toBe('stopped');
    // The sandbox knows at once: no pretended time-out ("not running after 1 s") for an instant answer.
    expect(report.problem).toMatch(/did not start: it stopped right after the start/);
    expect(report.problem).not.toMatch(/after \d+ s/);
    expect(await restartAndReport(control, 'NoSuchService')).toMatchObject({ok: false, finalStatus: 'not-found'});
  });

  it('restarts dependents that were running (a stop takes them down) and reports one that does not come back', async () => {
    const control = new SandboxServiceControl(root);
    const state = await control.load();
    state.services.Helper = {displayName: 'Helper', status: 'running', dependsOn: ['NspSandboxCyren']};
    state.services.Broken = {displayName: 'Broken', status: 'running', dependsOn: ['NspSandboxCyren'], failsToStart: true};
    state.services.Idle = {displayName: 'Idle', status: 'stopped', dependsOn: ['NspSandboxCyren']};
    await control.save(state);
    const report = await restartAndReport(control, 'NspSandboxCyren', {timeoutMs: 1000});
    expect(report.ok).toBe(false);
    expect(report.finalStatus).toBe('running');
    expect(report.problem).toBe('NoSpamProxy \u2013 CYREN Service runs, but Broken did not start again.');
    expect(report.dependents.map(dependent => `${dependent.name}:${dependent.ok}`)).toEqual(['Helper:true', 'Broken:false']);
    const after = (await control.load()).services;
    expect([after.Helper!.status, after.Broken!.status, after.Idle!.status]).toEqual(['running', 'stopped', 'stopped']);
  });

  it('explains a broken sandbox services file', async () => {
    await writeFile(join(root, sandboxServicesFile), '{broken');
    await expect(new SandboxServiceControl(root).findByName('x')).rejects.toThrow(/not valid JSON/);
  });
});

describe('WindowsServiceControl against a stub PowerShell on PATH', () => {
  let stub: PowerShellStub;
  let restorePath: () => void;
  const hostile = "x'; Remove-Item -Recurse C:\\ ; $(calc) \"`n";
  beforeEach(async () => {
    stub = await createPowerShellStub({
      CtasdSvc: {DisplayName: 'NoSpamProxy \u2013 CYREN Service', Status: 'Running'},
      CtipdSvc: {DisplayName: 'NoSpamProxy \u2013 CYREN IP Reputation Service', Status: 'Running', failsToStart: true},
      NetatworkMailGatewayGatewayRole: {DisplayName: 'NoSpamProxy - Gateway Role', Status: 'Running', StartType: 'Automatic'},
      NetatworkMailGatewayIntranetRole: {DisplayName: 'NoSpamProxy - Intranet Role', Status: 'Stopped', StartType: 'Manual'},
      CtasdHelper: {DisplayName: 'CYREN helper', Status: 'Running', DependsOn: ['CtasdSvc']},
      CtasdIdle: {DisplayName: 'CYREN idle helper', Status: 'Stopped', DependsOn: ['CtasdSvc']},
      [hostile]: {DisplayName: 'Hostile', Status: 'Stopped', error: 'Access is denied.'},
    });
    restorePath = stub.activate();
  });
  afterEach(async () => {
    restorePath();
    await stub.cleanup();
  });

  it('finds by display name with a hyphen typed for the en dash, via a constant script and an environment value', async () => {
    const control = new WindowsServiceControl();
    const found = await control.findByDisplayName('NoSpamProxy - CYREN Service');
    expect(found).toEqual([{name: 'CtasdSvc', displayName: 'NoSpamProxy \u2013 CYREN Service', status: 'running'}]);
    const [call] = await stub.calls();
    expect(call!.program).toBe('powershell.exe');
    expect(call!.argv.slice(0, 6)).toEqual(['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
    expect(call!.script).toBe(powershellScripts.findByDisplayName);
    expect(call!.env.NSP_SERVICE_DISPLAY_PATTERN).toBe('NoSpamProxy ? CYREN Service');
  });

  it('restarts by service name and reports success', async () => {
    const report = await restartAndReport(new WindowsServiceControl(), 'NetatworkMailGatewayGatewayRole', {timeoutMs: 5000});
    expect(report).toMatchObject({ok: true, finalStatus: 'running', displayName: 'NoSpamProxy - Gateway Role'});
    const calls = await stub.calls();
    expect(calls.map(call => call.script)).toEqual([powershellScripts.findByName, powershellScripts.dependents, powershellScripts.stop, powershellScripts.waitForStatus, powershellScripts.start, powershellScripts.waitForStatus]);
    expect(calls.map(call => call.env.NSP_SERVICE_STATUS ?? '-')).toEqual(['-', '-', '-', 'Stopped', '-', 'Running']);
    expect(calls[5]!.env.NSP_SERVICE_TIMEOUT_MS).toBe('5000');
    expect(report.dependents).toEqual([]);
    expect(new Set(calls.map(call => call.env.NSP_SERVICE_NAME))).toEqual(new Set(['NetatworkMailGatewayGatewayRole']));
  });

  it('starts again the dependents that Stop-Service -Force took down, and only those that were running', async () => {
    const report = await restartAndReport(new WindowsServiceControl(), 'CtasdSvc', {timeoutMs: 5000});
    expect(report).toMatchObject({ok: true, finalStatus: 'running'});
    expect(report.dependents).toEqual([{name: 'CtasdHelper', displayName: 'CYREN helper', ok: true, finalStatus: 'running'}]);
    const services = await stub.services();
    expect(services.CtasdHelper!.Status).toBe('Running');
    expect(services.CtasdIdle!.Status).toBe('Stopped');
    expect((await stub.calls()).filter(call => call.script === powershellScripts.start).map(call => call.env.NSP_SERVICE_NAME)).toEqual(['CtasdSvc', 'CtasdHelper']);
  });

  it('lists services by name prefix with their start type, the prefix passed as an escaped wildcard', async () => {
    const found = await new WindowsServiceControl().findByNamePrefix('NetatworkMailGateway');
    expect(found).toEqual([
      {name: 'NetatworkMailGatewayGatewayRole', displayName: 'NoSpamProxy - Gateway Role', status: 'running', startType: 'automatic'},
      {name: 'NetatworkMailGatewayIntranetRole', displayName: 'NoSpamProxy - Intranet Role', status: 'stopped', startType: 'manual'},
    ]);
    const [call] = await stub.calls();
    expect(call!.script).toBe(powershellScripts.findByNamePrefix);
    expect(call!.env.NSP_SERVICE_NAME_PATTERN).toBe('NetatworkMailGateway*');
    expect(await new WindowsServiceControl().findByNamePrefix('x*[')).toEqual([]);
  });

  it('reports a service that stays stopped', async () => {
    const report = await restartAndReport(new WindowsServiceControl(), 'CtipdSvc', {timeoutMs: 1000});
    expect(report.ok).toBe(false);
    expect(report.finalStatus).toBe('stopped');
    expect((await stub.services()).CtipdSvc!.Status).toBe('Stopped');
  });

  it('passes a hostile service name as one value, never as script, and reports PowerShell\'s error', async () => {
    const report = await restartAndReport(new WindowsServiceControl(), hostile);
    expect(report.ok).toBe(false);
    expect(report.problem).toMatch(/Access is denied/);
    const calls = await stub.calls();
    expect(calls.every(call => call.env.NSP_SERVICE_NAME === hostile)).toBe(true);
    expect(calls.every(call => Object.values(powershellScripts).includes(call.script as never))).toBe(true);
    expect(calls.every(call => !call.argv.join(' ').includes('Remove-Item'))).toBe(true);
  });

  it('falls back to pwsh when powershell.exe does not exist', async () => {
    const pwshOnly = await createPowerShellStub({A: {DisplayName: 'A', Status: 'Running'}}, ['pwsh']);
    const undo = pwshOnly.activate();
    try {
      const control = new WindowsServiceControl(['nsp-no-such-powershell', 'pwsh']);
      expect(await control.findByName('A')).toMatchObject({name: 'A', status: 'running'});
      expect((await pwshOnly.calls())[0]!.program).toBe('pwsh');
    } finally {
      undo();
      await pwshOnly.cleanup();
    }
  });

  it('says so when there is no PowerShell at all', async () => {
    const control = new WindowsServiceControl(['nsp-no-such-powershell', 'nsp-no-such-pwsh']);
    await expect(control.findByName('A')).rejects.toThrow(/Neither nsp-no-such-powershell nor nsp-no-such-pwsh was found/);
  });
});
