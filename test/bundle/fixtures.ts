import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {type ConsoleContext, contextFrom, shippedSandboxDir} from '../../source/context.js';

export {readWithYauzl} from '../helpers/zip.js';

/** Known fake secrets put into the sandbox configs: the tests look for them in every entry. */
export const knownSecrets = {
  proxyPassword: 'Pr0xyPassw0rd!42',
  proxyUser: 'corp\\proxy-svc-user',
  licenseKey: 'LIC9-ABCD-EFGH-1234-SECRET',
  dbPassword: 'DemoDbPassw0rd',
  bindPassword: 'B1nd-Secret-Value',
} as const;

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `nsp-bundle-${prefix}-`));
}

/** A copy of the demo sandbox whose CYREN files carry an active proxy with credentials and a licence key. */
export function sandboxWithSecrets(): string {
  const root = join(tempDir('root'), 'data');
  cpSync(shippedSandboxDir, root, {recursive: true});
  for (const name of ['ctasd.conf', 'ctipd.conf']) {
    const path = join(root, 'CYREN', name);
    const text = readFileSync(path, 'utf8')
      .replace(/License_key_code = .*/, `License_key_code = ${knownSecrets.licenseKey}`)
      .replace('#ProxyPort = 80', 'ProxyPort = 8080')
      .replace('#ProxyAuth = NoAuth', 'ProxyAuth = Basic')
      .replace('#ProxyUserName = user@proxy', `ProxyUserName = ${knownSecrets.proxyUser}`)
      .replace('#ProxyPassword = 1234', `ProxyPassword = ${knownSecrets.proxyPassword}`)
      .replace(/Server_address = .*/, `Server_address = ${knownSecrets.licenseKey}.resolver1.demo.ctmail.com`);
    writeFileSync(path, text);
  }
  // ctwsd.conf as UTF-16 LE with BOM, as Notepad may save it.
  const ctwsd = join(root, 'CYREN', 'ctwsd.conf');
  const text = readFileSync(ctwsd, 'utf8').replace(/License_key_code = .*/, `License_key_code = ${knownSecrets.licenseKey}`).replace('#ProxyPassword = 1234', `ProxyPassword = ${knownSecrets.proxyPassword}`);
  writeFileSync(ctwsd, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  const intranet = join(root, 'Configuration', 'Intranet Role.config');
  writeFileSync(intranet, readFileSync(intranet, 'utf8').replace('</configuration>', `  <appSettings>\r\n    <add key="LdapBindPassword" value="${knownSecrets.bindPassword}" />\r\n  </appSettings>\r\n</configuration>`));
  return root;
}

export function makeContext(stateDir: string, root: string, overrides: Partial<ConsoleContext> = {}): ConsoleContext {
  return contextFrom({root, isDemo: false, stateDir, hostName: 'gw-test01', platform: 'linux', ascii: true, color: false, env: process.env, ...overrides});
}

export interface RunFixture {
  id: string;
  startedAt: string;
  endedAt: string;
  zipPath: string;
}

/** A troubleshooting-log run as the log flow leaves it: record JSON + ZIP made by Info-ZIP. */
export function makeLogflowRun(stateDir: string, id: string, startedAt: string, endedAt: string, files: Record<string, string | Buffer>): RunFixture {
  const source = tempDir('run');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(source, name, '..'), {recursive: true});
    writeFileSync(join(source, name), content);
  }
  mkdirSync(join(stateDir, 'output'), {recursive: true});
  mkdirSync(join(stateDir, 'logflow', 'runs'), {recursive: true});
  const zipPath = join(stateDir, 'output', `logflow-${id}.zip`);
  execFileSync('zip', ['-q', '-r', zipPath, '.'], {cwd: source});
  writeFileSync(join(stateDir, 'logflow', 'runs', `${id}.json`), JSON.stringify({id, startedAt, endedAt, zipPath, roles: ['Gateway Role 1'], protocols: ['AntiSpam service', 'Mailvalidation', 'DNS Service', 'Proxy System']}, null, 2));
  return {id, startedAt, endedAt, zipPath};
}

/** Hash of every file under a folder: proves the sources were not changed. */
export function treeDigest(folder: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const info = statSync(path);
      if (info.isDirectory()) walk(path);
      else hash.update(`${relative(folder, path)}\0${info.size}\0${info.mtimeMs}\0`).update(readFileSync(path));
    }
  };
  walk(folder);
  return hash.digest('hex');
}

/** Every secret as UTF-8 and as UTF-16 LE bytes. */
export function secretNeedles(values: readonly string[] = Object.values(knownSecrets)): {label: string; bytes: Buffer}[] {
  return values.flatMap(value => [
    {label: `${value} (UTF-8)`, bytes: Buffer.from(value, 'utf8')},
    {label: `${value} (UTF-16 LE)`, bytes: Buffer.from(value, 'utf16le')},
  ]);
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A fake PNG (binary: only leak-checked, stored). */
export function fakePng(): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(2000, 7)]);
}

/** Mounts a tmpfs of `size` on `folder` to fill a disk for real (needs root); false where that is not allowed. */
export function mountSmallTmpfs(folder: string, size: string, mounts: string[]): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', folder], {stdio: 'ignore'});
    mounts.push(folder);
    return true;
  } catch {
    return false;
  }
}

export function unmountAll(mounts: string[]): void {
  for (const mount of mounts.splice(0)) {
    try {
      execFileSync('umount', [mount]);
    } catch {
      /* already gone */
    }
  }
}
