// The Windows lane: dist/nsp-console.exe, the real Windows program, under Wine in one throw-away
// prefix shared by every case of this file (creating a prefix is the slow part). What Wine lacks
// (PowerShell, wevtutil, certutil, sqlcmd) is played by a Windows stand-in found on the Windows PATH.
import {cpSync, existsSync, linkSync, copyFileSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ensureExeBuilt} from '../harness/build-exe.js';
import {projectRoot} from '../harness/tmux.js';
import {installStandIns, type StandIns} from '../harness/windows-standins.js';
import {WinePrefix, type WineRunOptions} from '../harness/wine.js';

const exe = 'C:\\nsp-test\\nsp-console.exe';
const dataRoot = 'C:\\ProgramData\\Net at Work Mail Gateway';
const nspVersion = '14.0.5.39';
const enDash = '\u2013';

let prefix: WinePrefix;
let standIns: StandIns;

/** Runs the exe with output to files (Wine gives a Windows program no pipes). */
function nsp(args: readonly string[], options: WineRunOptions = {}) {
  return prefix.runProgram([exe, ...args], {...options, env: {...standIns.env, ...options.env}});
}

function linuxData(relative: string): string {
  return prefix.linuxPath(`${dataRoot}\\${relative}`);
}

beforeAll(async () => {
  const built = await ensureExeBuilt();
  prefix = new WinePrefix();
  await prefix.create();
  const exeCopy = prefix.linuxPath(exe);
  prefix.mkdir('C:\\nsp-test');
  try {
    linkSync(built, exeCopy);
  } catch {
    copyFileSync(built, exeCopy);
  }
  standIns = await installStandIns(prefix);
  // A NoSpamProxy installation: the data folder (CRLF files, as on a server) and the version in the registry.
  cpSync(join(projectRoot, 'examples', 'sandbox'), prefix.linuxPath(dataRoot), {recursive: true});
  await prefix.regAdd('HKLM\\SOFTWARE\\NoSpamProxy\\Components', 'Intranet Role', nspVersion);
}, 900_000);

afterAll(() => prefix?.destroy());

describe('nsp-console.exe under Wine', () => {
  it('prints its version', async () => {
    const result = await nsp(['--version']);
    const {version} = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
    expect(result).toMatchObject({exitCode: 0, stdout: `${version}\n`});
  });

  it('finds the NoSpamProxy installation (not the demo) and reads its version from the registry', async () => {
    const result = await nsp(['info', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const info = JSON.parse(result.stdout);
    expect(info).toMatchObject({root: dataRoot, isDemo: false, nspVersion});
    expect(info.stateDir).toMatch(/^C:\\users\\[^\\]+\\AppData\\Local\\nsp-console$/i);
    expect(info.files.every((file: {exists: boolean}) => file.exists)).toBe(true);
  });

  it('keeps its program files in a versioned folder under %LOCALAPPDATA% and repairs a changed file', async () => {
    const appRoot = join(prefix.dir, 'drive_c', 'users', readdirSync(join(prefix.dir, 'drive_c', 'users')).find(name => existsSync(join(prefix.dir, 'drive_c', 'users', name, 'AppData', 'Local', 'nsp-console')))!, 'AppData', 'Local', 'nsp-console', 'app');
    const folders = readdirSync(appRoot);
    expect(folders).toHaveLength(1);
    expect(folders[0]).toMatch(/^\d+\.\d+\.\d+-[0-9a-f]{16}$/);
    const cli = join(appRoot, folders[0]!, 'dist', 'cli.js');
    const original = readFileSync(cli);
    writeFileSync(cli, 'throw new Error("tampered");\n');
    const result = await nsp(['--version']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(cli).equals(original)).toBe(true);
  });

  it('sets, disables and restores the CYREN proxy in CRLF files, restarting the services found by their en-dash names', async () => {
    standIns.setServices({
      ctasd: {DisplayName: `NoSpamProxy ${enDash} CYREN Service`, Status: 'Running'},
      ctipd: {DisplayName: `NoSpamProxy ${enDash} CYREN IP Reputation Service`, Status: 'Running'},
      ctwsd: {DisplayName: `NoSpamProxy ${enDash} CYREN URL Categorization Service`, Status: 'Stopped'},
    });
    const before = readFileSync(linuxData('CYREN\\ctasd.conf'));
    const set = await nsp(['proxy', 'set', '--server', 'proxy.example.test', '--port', '3128', '--yes']);
    expect(set.exitCode, set.stdout + set.stderr).toBe(0);
    const written = readFileSync(linuxData('CYREN\\ctasd.conf'), 'latin1');
    expect(written).toMatch(/proxy\.example\.test/);
    // Every line break stays CRLF; no bare LF crept in.
    expect(written.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(Object.values(standIns.services()).map(service => service.Status)).toEqual(['Running', 'Running', 'Running']);
    const lookups = (await standIns.calls()).filter(call => call.program === 'powershell' && call.env.NSP_SERVICE_DISPLAY_PATTERN);
    expect(lookups.length).toBeGreaterThan(0);

    const disable = await nsp(['proxy', 'disable', '--no-restart', '--yes']);
    expect(disable.exitCode, disable.stdout + disable.stderr).toBe(0);
    const disabled = readFileSync(linuxData('CYREN\\ctasd.conf'), 'latin1');
    expect(disabled).not.toBe(written);
    expect(disabled.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);

    const list = await nsp(['proxy', 'restore', '--list', '--json']);
    expect(list.exitCode, list.stderr).toBe(0);
    const restore = await nsp(['proxy', 'restore', '--latest', '--no-restart', '--yes']);
    expect(restore.exitCode, restore.stdout + restore.stderr).toBe(0);
    // The latest backup set is the one taken before disable: the proxy is back, byte for byte.
    expect(readFileSync(linuxData('CYREN\\ctasd.conf'), 'latin1')).toBe(written);
    expect(before.equals(readFileSync(linuxData('CYREN\\ctasd.conf')))).toBe(false);
  });
});
