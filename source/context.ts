import {existsSync, statSync} from 'node:fs';
import {cp, mkdir} from 'node:fs/promises';
import {homedir, hostname} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {readStateDirPointer, stateDirPointerPath} from './state-dir-pointer.js';
import {serviceControlFor} from './system/services.js';
import type {ServiceControl} from './system/service-control.js';

/** Options every command accepts, from flags or environment variables. */
export interface GlobalOptions {
  root?: string;
  stateDir?: string;
  ascii?: boolean;
  color?: boolean;
}

/** What every command and screen works with: where the data is and where the console keeps its own files. */
export interface ConsoleContext {
  /** The NoSpamProxy data folder (a copy of the demo sandbox in demo mode). */
  root: string;
  /** True when no NoSpamProxy installation was found and the demo sandbox is used. */
  isDemo: boolean;
  /** Settings, journal and output live here. */
  stateDir: string;
  /** Where stateDir came from (Settings can only change the pointer, which the flag and the variable override). */
  stateDirFrom?: 'flag' | 'env' | 'pointer' | 'default';
  /** Set when the state dir chosen in Settings could not be used: shown once at start. */
  stateDirNote?: string;
  hostName: string;
  platform: NodeJS.Platform;
  ascii: boolean;
  color: boolean;
  env: NodeJS.ProcessEnv;
  /** The one service control every screen and command uses: PowerShell on a real server, the sandbox file otherwise. */
  services: ServiceControl;
}

/**
 * examples/sandbox ships at the package root; this module runs from source/ (tests), dist/ or a
 * bundle chunk in dist/chunks/, so look upwards for it.
 */
export const shippedSandboxDir = findShippedSandbox(dirname(fileURLToPath(import.meta.url)));

function findShippedSandbox(moduleDir: string): string {
  for (let folder = moduleDir, level = 0; level < 4; level++, folder = dirname(folder)) {
    const candidate = join(folder, 'examples', 'sandbox');
    if (existsSync(candidate)) return candidate;
  }
  return resolve(moduleDir, '..', 'examples', 'sandbox');
}

export function defaultStateDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    const localAppData = env.LOCALAPPDATA ?? join(env.USERPROFILE ?? homedir(), 'AppData', 'Local');
    return join(localAppData, 'nsp-console');
  }
  const stateHome = env.XDG_STATE_HOME && env.XDG_STATE_HOME.length > 0 ? env.XDG_STATE_HOME : join(env.HOME ?? homedir(), '.local', 'state');
  return join(stateHome, 'nsp-console');
}

export function defaultInstallRoot(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return undefined;
  return join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'Net at Work Mail Gateway');
}

export interface RootChoice {
  root: string | undefined;
  /** Why the demo sandbox is used, when it is. */
  demoReason?: string;
}

/** Explicit --root / NSP_ROOT wins; then the Windows default; otherwise the demo sandbox. */
export function chooseRoot(options: GlobalOptions, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): RootChoice {
  const explicit = options.root ?? (env.NSP_ROOT && env.NSP_ROOT.length > 0 ? env.NSP_ROOT : undefined);
  if (explicit) return {root: resolve(explicit)};
  const installed = defaultInstallRoot(env, platform);
  if (installed && isDirectory(installed)) return {root: installed};
  return {root: undefined, demoReason: installed ? `no NoSpamProxy data folder at ${installed}` : 'this is not a Windows server with NoSpamProxy'};
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The console never edits the shipped sandbox: it works on a copy in the state dir, made on first use. */
export async function prepareSandbox(stateDir: string, source = shippedSandboxDir): Promise<string> {
  const copy = join(stateDir, 'sandbox');
  if (!existsSync(copy)) {
    await mkdir(stateDir, {recursive: true});
    await cp(source, copy, {recursive: true});
  }
  return copy;
}

/** A context from its plain fields, with the service control they imply (tests, benches, tools). */
export function contextFrom(fields: Omit<ConsoleContext, 'services'> & {services?: ServiceControl}): ConsoleContext {
  return {...fields, services: fields.services ?? serviceControlFor(fields)};
}

export async function createContext(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<ConsoleContext> {
  // --state-dir, then NSP_CONSOLE_STATE_DIR, then the folder chosen in Settings (a pointer file), then the default.
  const fromEnv = env.NSP_CONSOLE_STATE_DIR && env.NSP_CONSOLE_STATE_DIR.length > 0 ? env.NSP_CONSOLE_STATE_DIR : undefined;
  const fallback = defaultStateDir(env, platform);
  const pointer = options.stateDir === undefined && fromEnv === undefined ? await readStateDirPointer(stateDirPointerPath(fallback)) : {};
  const pointed = pointer.folder;
  const stateDirFrom = options.stateDir !== undefined ? 'flag' : fromEnv !== undefined ? 'env' : pointed !== undefined ? 'pointer' : 'default';
  const stateDir = resolve(options.stateDir ?? fromEnv ?? pointed ?? fallback);
  const choice = chooseRoot(options, env, platform);
  const root = choice.root ?? (await prepareSandbox(stateDir));
  const isDemo = choice.root === undefined;
  return {
    root,
    isDemo,
    stateDir,
    stateDirFrom,
    ...(pointer.problem ? {stateDirNote: pointer.problem} : {}),
    hostName: hostname(),
    platform,
    ascii: options.ascii ?? env.NSP_CONSOLE_ASCII === '1',
    color: options.color ?? !('NO_COLOR' in env && env.NO_COLOR !== ''),
    env,
    services: serviceControlFor({platform, isDemo, root}),
  };
}
