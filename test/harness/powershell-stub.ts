import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {prependToPath, readJsonLines, writeExecutable} from './stub-bin.js';

/**
 * A stand-in for powershell.exe / pwsh on machines without PowerShell: a real executable (a node
 * script) put first on PATH. It records what it was asked (argv, the decoded -EncodedCommand
 * script, the NSP_* environment values) and plays Get-Service / Stop-Service / Start-Service /
 * WaitForStatus against a JSON table of services, so the Windows ServiceControl runs for real.
 */
export interface StubService {
  DisplayName: string;
  Status: 'Running' | 'Stopped' | 'StartPending' | 'StopPending';
  /** Start-Service succeeds but the service stays stopped. */
  failsToStart?: boolean;
  /** Stop-Service / Start-Service fail with this message (exit 1). */
  error?: string;
  StartType?: 'Automatic' | 'Manual' | 'Disabled';
  /** Service names this one depends on: Stop-Service -Force on one of them stops this one too. */
  DependsOn?: string[];
}

export interface StubCall {
  program: string;
  argv: string[];
  script: string;
  env: Record<string, string>;
}

export interface PowerShellStub {
  dir: string;
  /** Puts the stub first on PATH (returns a function that undoes it). */
  activate(): () => void;
  calls(): Promise<StubCall[]>;
  services(): Promise<Record<string, StubService>>;
  cleanup(): Promise<void>;
}

const stubSource = (logFile: string, stateFile: string, program: string) => `#!${process.execPath}
const fs = require('node:fs');
const argv = process.argv.slice(2);
const at = argv.findIndex(a => a.toLowerCase() === '-encodedcommand');
const script = at >= 0 ? Buffer.from(argv[at + 1] || '', 'base64').toString('utf16le') : '';
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('NSP_')));
fs.appendFileSync(${JSON.stringify(logFile)}, JSON.stringify({program: ${JSON.stringify(program)}, argv, script, env}) + '\\n');
const state = JSON.parse(fs.readFileSync(${JSON.stringify(stateFile)}, 'utf8'));
const save = () => fs.writeFileSync(${JSON.stringify(stateFile)}, JSON.stringify(state, null, 2));
const rows = names => JSON.stringify(names.map(n => ({Name: n, DisplayName: state[n].DisplayName, Status: state[n].Status, ...(state[n].StartType ? {StartType: state[n].StartType} : {})})));
const dependentsOf = n => Object.keys(state).filter(d => (state[d].DependsOn || []).some(x => x.toLowerCase() === n.toLowerCase()));
const wildcard = pattern => {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\`') { out += (pattern[++i] || '').replace(/[\\\\^$.*+?()[\\]{}|]/g, '\\\\$&'); continue; }
    out += c === '?' ? '.' : c === '*' ? '.*' : c.replace(/[\\\\^$.*+?()[\\]{}|]/g, '\\\\$&');
  }
  return new RegExp('^' + out + '$', 'i');
};
const byName = name => Object.keys(state).find(n => n.toLowerCase() === String(name).toLowerCase());
const fail = message => { process.stderr.write(message + '\\n'); process.exit(1); };
if (script.includes('Stop-Service')) {
  const n = byName(env.NSP_SERVICE_NAME); if (!n) fail("Cannot find any service with service name '" + env.NSP_SERVICE_NAME + "'.");
  if (state[n].error) fail(state[n].error);
  for (const d of dependentsOf(n)) state[d].Status = 'Stopped';
  state[n].Status = 'Stopped'; save();
} else if (script.includes('Start-Service')) {
  const n = byName(env.NSP_SERVICE_NAME); if (!n) fail("Cannot find any service with service name '" + env.NSP_SERVICE_NAME + "'.");
  if (state[n].error) fail(state[n].error);
  state[n].Status = state[n].failsToStart ? 'Stopped' : 'Running'; save();
} else if (script.includes('WaitForStatus')) {
  const n = byName(env.NSP_SERVICE_NAME); if (!n) fail("Cannot find any service with service name '" + env.NSP_SERVICE_NAME + "'.");
  process.stdout.write(rows([n]) + '\\r\\n');
} else if (script.includes('DependentServices')) {
  const n = byName(env.NSP_SERVICE_NAME); if (!n) fail("Cannot find any service with service name '" + env.NSP_SERVICE_NAME + "'.");
  process.stdout.write(rows(dependentsOf(n)) + '\\r\\n');
} else if (script.includes('NSP_SERVICE_NAME_PATTERN')) {
  const re = wildcard(env.NSP_SERVICE_NAME_PATTERN || '');
  process.stdout.write(rows(Object.keys(state).filter(n => re.test(n))) + '\\r\\n');
} else if (script.includes('-DisplayName')) {
  const re = wildcard(env.NSP_SERVICE_DISPLAY_PATTERN || '');
  process.stdout.write(rows(Object.keys(state).filter(n => re.test(state[n].DisplayName))) + '\\r\\n');
} else {
  const n = byName(env.NSP_SERVICE_NAME);
  process.stdout.write(rows(n ? [n] : []) + '\\r\\n');
}
`;

export async function createPowerShellStub(services: Record<string, StubService>, programs: readonly string[] = ['powershell.exe']): Promise<PowerShellStub> {
  const dir = await mkdtemp(join(tmpdir(), 'nsp-pwsh-stub-'));
  const logFile = join(dir, 'calls.jsonl');
  const stateFile = join(dir, 'services.json');
  await writeFile(logFile, '');
  await writeFile(stateFile, JSON.stringify(services, null, 2));
  for (const program of programs) {
    await writeExecutable(join(dir, program), stubSource(logFile, stateFile, program));
  }
  return {
    dir,
    activate: () => prependToPath(dir),
    calls: () => readJsonLines<StubCall>(logFile),
    async services() {
      return JSON.parse(await readFile(stateFile, 'utf8')) as Record<string, StubService>;
    },
    async cleanup() {
      await rm(dir, {recursive: true, force: true});
    },
  };
}
