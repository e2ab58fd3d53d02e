import {createHash} from 'node:crypto';
import {copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {makeSeaExe, nodeWindows} from '../../scripts/build-exe.mjs';
import {projectRoot} from './tmux.js';
import type {WinePrefix} from './wine.js';

/** The tools Wine lacks, played by one Windows program (test/windows/standin/standin.cjs) under their names. */
export const standInPrograms = ['powershell.exe', 'wevtutil.exe', 'certutil.exe', 'sqlcmd.exe'] as const;

export interface StandInCall {
  program: string;
  argv: string[];
  script: string;
  env: Record<string, string>;
}

/** Builds the stand-in exe once per source and Node version (cached next to the exe build's node.exe). */
export async function standInExe(): Promise<string> {
  const source = join(projectRoot, 'test', 'windows', 'standin', 'standin.cjs');
  const hash = createHash('sha256').update(readFileSync(source)).update(nodeWindows.version).digest('hex').slice(0, 16);
  const exe = join(projectRoot, 'node_modules', '.cache', 'nsp-console-exe', `standin-${hash}.exe`);
  if (!existsSync(exe)) await makeSeaExe(source, {}, exe);
  return exe;
}

export interface StandIns {
  /** Windows folder put first on the Windows PATH (WINEPATH). */
  binDir: string;
  /** Windows folder with calls\ (one JSON file per call, in the order made) and services.json. */
  stateDir: string;
  env: Record<string, string>;
  calls(): Promise<StandInCall[]>;
  services(): Record<string, {DisplayName: string; Status: string}>;
  setServices(services: Record<string, {DisplayName: string; Status: string}>): void;
}

export async function installStandIns(prefix: WinePrefix): Promise<StandIns> {
  const exe = await standInExe();
  const binDir = 'C:\\nsp-test\\bin';
  const stateDir = 'C:\\nsp-test\\standin';
  const bin = prefix.mkdir(binDir);
  const state = prefix.mkdir(stateDir);
  for (const name of standInPrograms) {
    try {
      linkSync(exe, join(bin, name));
    } catch {
      copyFileSync(exe, join(bin, name));
    }
  }
  mkdirSync(join(state, 'calls'), {recursive: true});
  writeFileSync(join(state, 'services.json'), '{}');
  return {
    binDir,
    stateDir,
    // Wine puts WINEPATH in front of the Windows PATH, where Windows programs look for programs.
    env: {WINEPATH: binDir, NSP_STANDIN_DIR: stateDir},
    calls: async () => {
      const folder = join(state, 'calls');
      const names = readdirSync(folder).filter(name => name.endsWith('.json')).sort();
      return names.map(name => JSON.parse(readFileSync(join(folder, name), 'utf8')) as StandInCall);
    },
    services: () => JSON.parse(readFileSync(join(state, 'services.json'), 'utf8')),
    setServices: services => writeFileSync(join(state, 'services.json'), JSON.stringify(services, null, 2)),
  };
}

/** Writes a file into the prefix, creating folders; CRLF when asked (Windows files). */
export function writeWindowsFile(prefix: WinePrefix, windowsPath: string, text: string): string {
  const path = prefix.linuxPath(windowsPath);
  mkdirSync(join(path, '..'), {recursive: true});
  writeFileSync(path, text);
  return path;
}
