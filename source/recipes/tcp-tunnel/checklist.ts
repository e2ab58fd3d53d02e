import {open, stat} from 'node:fs/promises';
import {resolve} from 'node:path';
import {loadSettings, updateSettings} from '../../settings.js';
import {runCommand, type RunResult} from '../../system/exec.js';
import {hasControlCharacters} from '../validate.js';

/** The steps the console cannot do itself; the admin ticks them off (kept in settings.json "recipes"). */
export type ChecklistId = 'spf' | 'root-ca' | 'smtp-server-name';

export const tunnelHost = 'proxy.nospamproxy.de';

export const tunnelChecklist: readonly {id: ChecklistId; title: string; detail: string}[] = [
  {id: 'spf', title: `SPF record includes a:${tunnelHost}`, detail: `The TCP proxy becomes the sending system: add "a:${tunnelHost}" to the SPF TXT record of every sending domain.`},
  {id: 'root-ca', title: 'Root CA certificate imported (computer account)', detail: 'Import the TCP proxy root CA into "Trusted Root Certification Authorities > Certificates" of the computer account on the gateway role server (certutil -addstore Root <file>).'},
  {id: 'smtp-server-name', title: `"SMTP server name" of the gateway role = ${tunnelHost}`, detail: `NoSpamProxy console: Configuration > NoSpamProxy components > Gateway roles > edit > "SMTP server name" = ${tunnelHost}.`},
];

export async function loadChecklist(stateDir: string): Promise<Record<ChecklistId, boolean>> {
  const settings = await loadSettings(stateDir);
  const stored = ((settings.recipes as {tcpTunnelChecklist?: Record<string, unknown>} | undefined)?.tcpTunnelChecklist ?? {}) as Record<string, unknown>;
  return {spf: stored.spf === true, 'root-ca': stored['root-ca'] === true, 'smtp-server-name': stored['smtp-server-name'] === true};
}

export async function saveChecklist(stateDir: string, ticks: Record<ChecklistId, boolean>): Promise<void> {
  await updateSettings(stateDir, settings => {
    const recipes = settings.recipes && typeof settings.recipes === 'object' ? (settings.recipes as Record<string, unknown>) : {};
    return {...settings, recipes: {...recipes, tcpTunnelChecklist: ticks}};
  });
}

/** Checks the file is there and looks like a certificate (PEM or DER) before certutil sees it. */
export async function validateCertificateFile(path: string): Promise<string | undefined> {
  if (path.trim().length === 0) return 'enter the path of the root CA certificate file (.cer / .crt / .pem)';
  if (hasControlCharacters(path)) return 'a file path cannot contain line breaks or control characters';
  let info;
  try {
    info = await stat(path);
  } catch {
    return `${path} does not exist`;
  }
  if (!info.isFile()) return `${path} is not a file`;
  if (info.size === 0 || info.size > 1_000_000) return `${path} is ${info.size === 0 ? 'empty' : 'too large for a certificate'}`;
  const handle = await open(path, 'r');
  try {
    const {buffer, bytesRead} = await handle.read(Buffer.alloc(64), 0, 64, 0);
    const head = buffer.subarray(0, bytesRead);
    const text = head.toString('latin1');
    const isPem = text.replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().startsWith('-----BEGIN');
    const isDer = head[0] === 0x30 && (head[1] ?? 0) >= 0x80;
    if (!isPem && !isDer) return `${path} does not look like a certificate (neither PEM nor DER)`;
  } finally {
    await handle.close();
  }
  return undefined;
}

/** `certutil -addstore Root <file>`: the computer account's Trusted Root store (needs an elevated console). */
export function certutilArgs(file: string): string[] {
  // An absolute path can never be mistaken for a certutil option.
  return ['-addstore', 'Root', resolve(file)];
}

export async function importRootCertificate(file: string): Promise<RunResult> {
  return runCommand('certutil', certutilArgs(file), {timeoutMs: 60_000});
}
