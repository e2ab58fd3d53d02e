import {describe, expect, it} from 'vitest';
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {chooseRoot, createContext, defaultStateDir, shippedSandboxDir} from '../source/context.js';

describe('state dir', () => {
  it('follows LOCALAPPDATA on Windows and XDG_STATE_HOME elsewhere', () => {
    expect(defaultStateDir({LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local'}, 'win32')).toBe(join('C:\\Users\\a\\AppData\\Local', 'nsp-console'));
    expect(defaultStateDir({XDG_STATE_HOME: '/x/state', HOME: '/home/a'}, 'linux')).toBe('/x/state/nsp-console');
    expect(defaultStateDir({HOME: '/home/a'}, 'linux')).toBe('/home/a/.local/state/nsp-console');
  });

  it('takes --state-dir over NSP_CONSOLE_STATE_DIR over the default', async () => {
    const a = mkdtempSync(join(tmpdir(), 'nsp-ctx-'));
    const b = mkdtempSync(join(tmpdir(), 'nsp-ctx-'));
    expect((await createContext({stateDir: a}, {NSP_CONSOLE_STATE_DIR: b}, 'linux')).stateDir).toBe(a);
    expect((await createContext({}, {NSP_CONSOLE_STATE_DIR: b}, 'linux')).stateDir).toBe(b);
  });
});

describe('data root', () => {
  it('takes --root over NSP_ROOT, and uses the demo sandbox where no installation exists', () => {
    expect(chooseRoot({root: '/r1'}, {NSP_ROOT: '/r2'}, 'linux').root).toBe('/r1');
    expect(chooseRoot({}, {NSP_ROOT: '/r2'}, 'linux').root).toBe('/r2');
    expect(chooseRoot({}, {}, 'linux')).toEqual({root: undefined, demoReason: 'this is not a Windows server with NoSpamProxy'});
    const missing = chooseRoot({}, {ProgramData: '/nonexistent-programdata'}, 'win32');
    expect(missing.root).toBeUndefined();
    expect(missing.demoReason).toContain('Net at Work Mail Gateway');
  });

  it('uses the Windows default when it exists', () => {
    const programData = mkdtempSync(join(tmpdir(), 'nsp-pd-'));
    const installed = join(programData, 'Net at Work Mail Gateway');
    mkdirSync(installed);
    expect(chooseRoot({}, {ProgramData: programData}, 'win32').root).toBe(installed);
  });

  it('carries the one service control: PowerShell on an installed server, the sandbox file in the demo', async () => {
    const programData = mkdtempSync(join(tmpdir(), 'nsp-pd-'));
    mkdirSync(join(programData, 'Net at Work Mail Gateway'));
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-ctx-'));
    const installed = await createContext({stateDir}, {ProgramData: programData}, 'win32');
    expect(installed.services.kind).toBe('windows');
    const demo = await createContext({stateDir}, {}, 'linux');
    expect(demo.isDemo).toBe(true);
    expect(demo.services.kind).toBe('sandbox');
    expect((demo.services as {file?: string}).file).toBe(join(demo.root, '.services.json'));
  });

  it('copies the shipped sandbox into the state dir once and never touches the original', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-ctx-'));
    const original = readFileSync(join(shippedSandboxDir, 'CYREN', 'ctasd.conf'));
    const context = await createContext({stateDir}, {}, 'linux');
    expect(context.isDemo).toBe(true);
    expect(context.root).toBe(join(stateDir, 'sandbox'));
    writeFileSync(join(context.root, 'CYREN', 'ctasd.conf'), 'changed');
    const again = await createContext({stateDir}, {}, 'linux');
    expect(readFileSync(join(again.root, 'CYREN', 'ctasd.conf'), 'utf8')).toBe('changed');
    expect(readFileSync(join(shippedSandboxDir, 'CYREN', 'ctasd.conf'))).toEqual(original);
  });

  it('ships the sandbox with CRLF line endings and the proxy block as the knowledge base quotes it', () => {
    const ctasd = readFileSync(join(shippedSandboxDir, 'CYREN', 'ctasd.conf'), 'utf8');
    expect(ctasd).toContain('#ProxyPort = 80\r\n#ProxyServerAddress = myproxy\r\n#ProxyAuth = NoAuth\r\n#ProxyUserName = user@proxy\r\n#ProxyPassword = 1234\r\n#ProxyAccess = 1\r\n');
    expect(ctasd).toMatch(/\[Connectivity\]\r\nLicense_key_code = .+\r\nServer_address = .+\r\n/);
    expect(ctasd.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('reads NO_COLOR and the ASCII variable', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-ctx-'));
    const context = await createContext({stateDir}, {NO_COLOR: '1', NSP_CONSOLE_ASCII: '1'}, 'linux');
    expect(context.color).toBe(false);
    expect(context.ascii).toBe(true);
  });
});
