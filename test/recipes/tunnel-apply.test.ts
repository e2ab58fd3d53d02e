import {cp, mkdtemp, readdir, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {type ConsoleContext, contextFrom} from '../../source/context.js';
import {applyTunnelChange, gatewayServiceName} from '../../source/recipes/tcp-tunnel/apply-tunnel.js';
import {gatewayConfigPath, planTunnelChange} from '../../source/recipes/tcp-tunnel/tunnel-file.js';
import {recipeCommand} from '../../source/recipes/command.js';
import {SandboxServiceControl, type ServiceControl} from '../../source/system/services.js';
import {createPowerShellStub, type PowerShellStub} from '../harness/powershell-stub.js';
import {fixtureDir, isSingleSplice} from './corpus.js';
import {Readable} from 'node:stream';
import {captureIo} from '../helpers/capture.js';

const inserted = '    <smtpServicePointConfiguration isProxyTunnelEnabled="true" />\r\n';
let root: string;
let path: string;

async function placeFixture(name: string, transform: (bytes: Buffer) => Buffer = bytes => bytes): Promise<Buffer> {
  const bytes = transform(await readFile(join(fixtureDir, name)));
  await writeFile(path, bytes);
  return bytes;
}

/** Bytes as latin1 text: one character per byte, so string splices are byte splices. */
const asBytes = (buffer: Buffer) => buffer.toString('latin1');

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'nsp-tunnel-'));
  await cp(join(import.meta.dirname, '..', '..', 'examples', 'sandbox'), root, {recursive: true});
  path = gatewayConfigPath(root);
});

describe('enable / disable on the file, with the sandbox service', () => {
  it.each([
    ['absent-crlf.config', '', inserted],
    ['absent-bom-crlf.config', '', inserted],
    ['absent-lf.config', '', inserted.replace('\r\n', '\n')],
    ['attribute-false.config', 'False', 'true'],
    ['no-attribute-self-closing.config', '', ' isProxyTunnelEnabled="true"'],
    ['no-attribute-open-close.config', '', ' isProxyTunnelEnabled="true"'],
    ['only-in-comment.config', '', inserted],
  ])('%s: stops, edits exactly one spot (every other byte identical), starts, verifies, backs up', async (name, removed, added) => {
    const before = await placeFixture(name);
    const services = new SandboxServiceControl(root);
    const result = await applyTunnelChange(await planTunnelChange('enable', path), {services, restart: true});
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    const after = await readFile(path);
    expect(isSingleSplice(asBytes(before), asBytes(after), removed, added)).toBe(true);
    expect(await readFile(result.backupPath!)).toEqual(before);
    const state = await services.load();
    expect(state.log.map(entry => `${entry.action} ${entry.name}`)).toEqual([`stop ${gatewayServiceName}`, `start ${gatewayServiceName}`]);
    expect(state.services[gatewayServiceName]!.status).toBe('running');
    expect(result.steps.filter(step => step.status !== 'running').map(step => `${step.step}:${step.status}`)).toEqual(['stop:done', 'edit:done', 'start:done', 'verify:done']);
  });

  it('round-trips: enable then disable differ from the original only at the one spot', async () => {
    const original = await placeFixture('attribute-true.config');
    const services = new SandboxServiceControl(root);
    expect((await applyTunnelChange(await planTunnelChange('disable', path), {services, restart: true})).ok).toBe(true);
    const off = await readFile(path);
    expect(isSingleSplice(asBytes(original), asBytes(off), 'true', 'false')).toBe(true);
    expect((await applyTunnelChange(await planTunnelChange('enable', path), {services, restart: true})).ok).toBe(true);
    expect(await readFile(path)).toEqual(original);
  });

  it('keeps UTF-16 LE with BOM and a non-UTF-8 (ANSI) file byte for byte outside the edit', async () => {
    const utf16 = await placeFixture('absent-crlf.config', bytes => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('utf8'), 'utf16le')]));
    const services = new SandboxServiceControl(root);
    expect((await applyTunnelChange(await planTunnelChange('enable', path), {services, restart: false})).ok).toBe(true);
    expect(isSingleSplice(asBytes(utf16), asBytes(await readFile(path)), '', asBytes(Buffer.from(inserted, 'utf16le')))).toBe(true);

    const ansi = await placeFixture('absent-crlf.config', bytes => Buffer.from(bytes.toString('utf8').replace('Müller', 'M\u00fcller'), 'latin1'));
    expect(ansi.includes(Buffer.from([0xfc]))).toBe(true);
    expect((await applyTunnelChange(await planTunnelChange('enable', path), {services, restart: false})).ok).toBe(true);
    expect(isSingleSplice(asBytes(ansi), asBytes(await readFile(path)), '', inserted)).toBe(true);
  });

  it('--no-restart edits the file only and leaves the service alone', async () => {
    await placeFixture('absent-crlf.config');
    const services = new SandboxServiceControl(root);
    const result = await applyTunnelChange(await planTunnelChange('enable', path), {services, restart: false});
    expect(result.ok).toBe(true);
    expect((await services.load()).log).toEqual([]);
    expect(result.steps.find(step => step.step === 'stop')?.message).toContain('but it is RUNNING: it may overwrite the edit');
    const state = await services.load();
    state.services[gatewayServiceName]!.status = 'stopped';
    await services.save(state);
    const again = await applyTunnelChange(await planTunnelChange('disable', path), {services, restart: false});
    expect(again.steps.find(step => step.step === 'stop')?.message).toMatch(/^Not stopping \S+ \(--no-restart\): it must be stopped while the file is edited\.$/);
    expect((await services.load()).log).toEqual([]);
  });

  it('changes nothing (no backup, no restart) when the tunnel is already in the wanted state', async () => {
    const before = await placeFixture('attribute-true.config');
    const services = new SandboxServiceControl(root);
    const result = await applyTunnelChange(await planTunnelChange('enable', path), {services, restart: true});
    expect(result).toMatchObject({ok: true, written: false});
    expect(await readFile(path)).toEqual(before);
    expect((await services.load()).log).toEqual([]);
    expect((await readdir(join(root, 'Configuration'))).filter(file => file.endsWith('.nspbak'))).toEqual([]);
  });

  it('refuses malformed files and missing elements without touching file or service', async () => {
    for (const name of ['malformed.config', 'no-sections.config', 'duplicate-service-point.config']) {
      await placeFixture(name);
      await expect(planTunnelChange('enable', path)).rejects.toThrow(/Nothing was changed/);
    }
  });
});

/** A service whose start-up rewrites the configuration file, as NoSpamProxy does. */
function rewritingOnStart(inner: ServiceControl, rewrite: (text: string) => string): ServiceControl {
  return {
    kind: inner.kind,
    findByDisplayName: name => inner.findByDisplayName(name),
    findByName: name => inner.findByName(name),
    findByNamePrefix: prefix => inner.findByNamePrefix(prefix),
    dependents: name => inner.dependents(name),
    stop: name => inner.stop(name),
    waitForStatus: (name, status, options) => inner.waitForStatus(name, status, options),
    async start(name) {
      await inner.start(name);
      await writeFile(path, rewrite(await readFile(path, 'utf8')));
    },
  };
}

describe('verification after a simulated restart that rewrites the file', () => {
  it('passes when the rewritten file keeps the value (other formatting, LF endings)', async () => {
    await placeFixture('absent-crlf.config');
    const services = rewritingOnStart(new SandboxServiceControl(root), text => text.replace(/\r\n/g, '\n').replace(/ \/>/g, '/>'));
    const result = await applyTunnelChange(await planTunnelChange('enable', path), {services, restart: true});
    expect(result.ok).toBe(true);
    expect(await readFile(path, 'utf8')).toContain('<smtpServicePointConfiguration isProxyTunnelEnabled="true"/>\n');
  });

  it('fails with the backup named when start-up drops the value', async () => {
    await placeFixture('absent-crlf.config');
    const services = rewritingOnStart(new SandboxServiceControl(root), text => text.replace(/\s*<smtpServicePointConfiguration[^>]*>/, ''));
    const result = await applyTunnelChange(await planTunnelChange('enable', path), {services, restart: true});
    expect(result.ok).toBe(false);
    expect(result.finalState?.enabled).toBe(false);
    expect(result.problems.join(' ')).toMatch(/not retained after the service started.*previous file is in .*\.nspbak/);
  });
});

describe('safety', () => {
  it('does not write when the file changed at the spot while the service stopped, and starts the service again', async () => {
    await placeFixture('absent-crlf.config');
    const inner = new SandboxServiceControl(root);
    const services: ServiceControl = {
      ...rewritingOnStart(inner, text => text),
      async stop(name) {
        await inner.stop(name);
        await writeFile(path, (await readFile(path, 'utf8')).replace('<connectionLimits', '<smtpServicePointConfiguration isProxyTunnelEnabled="false" />\r\n    <connectionLimits'));
      },
    };
    const plan = await planTunnelChange('enable', path);
    const result = await applyTunnelChange(plan, {services, restart: true});
    expect(result.ok).toBe(false);
    expect(result.written).toBe(false);
    expect(result.problems.join(' ')).toContain('changed after it was shown to you');
    expect(await readFile(path, 'utf8')).toContain('isProxyTunnelEnabled="false"');
    expect((await inner.load()).services[gatewayServiceName]!.status).toBe('running');
  });

  it('refuses to overwrite a file changed after it was read (--no-restart)', async () => {
    await placeFixture('absent-crlf.config');
    const plan = await planTunnelChange('enable', path);
    await writeFile(path, (await readFile(path, 'utf8')).replace('Müller', 'Meier'));
    const result = await applyTunnelChange(plan, {services: new SandboxServiceControl(root), restart: false});
    expect(result.ok).toBe(false);
    expect(result.problems.join(' ')).toContain('changed by someone else');
    expect(await readFile(path, 'utf8')).not.toContain('smtpServicePointConfiguration');
  });

  it('starts the service again when the edit fails after stopping it', async () => {
    await placeFixture('absent-crlf.config');
    const inner = new SandboxServiceControl(root);
    const plan = await planTunnelChange('enable', path);
    // Read-only file: saving fails after the service was stopped.
    const {chmod} = await import('node:fs/promises');
    await chmod(path, 0o444);
    const result = await applyTunnelChange(plan, {services: inner, restart: true});
    expect(result.ok).toBe(false);
    expect(result.problems.join(' ')).toContain('read-only');
    expect((await inner.load()).services[gatewayServiceName]!.status).toBe('running');
    expect((await inner.load()).log.map(entry => entry.action)).toEqual(['stop', 'start']);
  });

  it('reports a service that does not come back after the edit (exit 1 in the CLI), keeping the edit and naming the backup', async () => {
    await placeFixture('absent-crlf.config');
    const services = new SandboxServiceControl(root);
    const state = await services.load();
    state.services[gatewayServiceName]!.failsToStart = true;
    await services.save(state);
    const result = await applyTunnelChange(await planTunnelChange('enable', path), {services, restart: true});
    expect(result.ok).toBe(false);
    expect(result.finalState?.enabled).toBe(true);
    expect(result.problems.join(' ')).toMatch(/did not start.*Net at Work Mail Gateway.*\.nspbak/);
  });

  it('refuses when the gateway role service does not exist, unless --no-restart', async () => {
    await placeFixture('absent-crlf.config');
    const services = new SandboxServiceControl(root);
    const result = await applyTunnelChange(await planTunnelChange('enable', path), {services, restart: true, serviceName: 'NoSuchService'});
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toContain('Use --no-restart');
    expect(await readFile(path, 'utf8')).not.toContain('smtpServicePointConfiguration');
  });
});

describe('on Windows: PowerShell service control against a stub powershell.exe', () => {
  let stub: PowerShellStub;
  let restorePath: () => void;
  beforeEach(async () => {
    stub = await createPowerShellStub({[gatewayServiceName]: {DisplayName: 'NoSpamProxy Gateway Role', Status: 'Running'}});
    restorePath = stub.activate();
  });
  afterEach(async () => {
    restorePath();
    await stub.cleanup();
  });

  it('recipe tcp-tunnel enable --yes stops and starts NetatworkMailGatewayGatewayRole through PowerShell', async () => {
    await placeFixture('absent-crlf.config');
    const context: ConsoleContext = contextFrom({root, isDemo: false, stateDir: join(root, '.state'), hostName: 'nsp01', platform: 'win32', ascii: true, color: false, env: process.env});
    const captured = captureIo({stdin: Readable.from([])});
    const code = await recipeCommand.run(['tcp-tunnel', 'enable', '--yes'], context, captured.io);
    expect(captured.stdout()).toContain('[done] verify');
    expect(code).toBe(0);
    const calls = await stub.calls();
    const actions = calls.map(call => (call.script.includes('Stop-Service') ? 'stop' : call.script.includes('Start-Service') ? 'start' : call.script.includes('WaitForStatus') ? 'wait' : 'find'));
    expect(actions).toEqual(['find', 'stop', 'wait', 'start', 'wait']);
    for (const call of calls) {
      expect(call.env.NSP_SERVICE_NAME).toBe(gatewayServiceName);
      expect(call.argv).toContain('-EncodedCommand');
      expect(call.script).not.toContain(gatewayServiceName);
    }
    expect((await stub.services())[gatewayServiceName]!.Status).toBe('Running');
    expect(await readFile(path, 'utf8')).toContain(inserted);
  });
});
