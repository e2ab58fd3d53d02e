import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {prependToPath, readJsonLines, writeExecutable} from './stub-bin.js';

/**
 * Stand-ins for Windows tools (az, sqlcmd, certutil, reg, …): real executables (node scripts) put
 * first on PATH. Each records its argv (and, for `-i <file>`, the file's text) and answers by the
 * first rule whose pattern matches the argv joined with spaces. `reg` plays a registry kept in a
 * JSON file, so reg query / add / delete behave like the real one.
 */
export interface StubRule {
  /** Regular expression (source) tested against argv.join(' ') plus a newline and the -i file's text; omitted = always. */
  when?: string;
  stdout?: string;
  stderr?: string;
  exitCode?: number;
}

export interface StubCall {
  program: string;
  argv: string[];
  /** Text of the file given with -i (sqlcmd scripts), when there is one. */
  inputFile?: string;
}

export interface RegistryValue {
  type: string;
  /** REG_MULTI_SZ: items; REG_DWORD: a number as text ("1"). */
  data: string[];
}

export interface ArgvStub {
  dir: string;
  activate(): () => void;
  calls(program?: string): Promise<StubCall[]>;
  registry(): Promise<Record<string, RegistryValue>>;
  setRegistry(values: Record<string, RegistryValue>): Promise<void>;
  cleanup(): Promise<void>;
}

const stubSource = (program: string, logFile: string, rulesFile: string, registryFile: string) => `#!${process.execPath}
const fs = require('node:fs');
const argv = process.argv.slice(2);
const call = {program: ${JSON.stringify(program)}, argv};
const input = argv.findIndex(a => a === '-i');
if (input >= 0 && argv[input + 1]) { try { call.inputFile = fs.readFileSync(argv[input + 1], 'utf8'); } catch {} }
fs.appendFileSync(${JSON.stringify(logFile)}, JSON.stringify(call) + '\\n');
if (${JSON.stringify(program)} === 'reg') {
  const registry = JSON.parse(fs.readFileSync(${JSON.stringify(registryFile)}, 'utf8'));
  const [verb, key, , name] = argv;
  const id = key + '\\\\' + name;
  const at = flag => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : undefined; };
  if (verb === 'query') {
    const value = registry[id];
    if (!value) { process.stderr.write('ERROR: The system was unable to find the specified registry key or value.\\r\\n'); process.exit(1); }
    const shown = value.type === 'REG_MULTI_SZ' ? value.data.join('\\\\0') : value.type === 'REG_DWORD' ? '0x' + Number(value.data[0]).toString(16) : value.data[0];
    process.stdout.write('\\r\\n' + key + '\\r\\n    ' + name + '    ' + value.type + '    ' + shown + '\\r\\n\\r\\n');
    process.exit(0);
  }
  if (verb === 'add') {
    const type = at('/t'); const data = at('/d');
    registry[id] = {type, data: type === 'REG_MULTI_SZ' ? data.split('\\\\0') : [String(Number(data))]};
    fs.writeFileSync(${JSON.stringify(registryFile)}, JSON.stringify(registry, null, 2));
    process.stdout.write('The operation completed successfully.\\r\\n');
    process.exit(0);
  }
  if (verb === 'delete') {
    delete registry[id];
    fs.writeFileSync(${JSON.stringify(registryFile)}, JSON.stringify(registry, null, 2));
    process.stdout.write('The operation completed successfully.\\r\\n');
    process.exit(0);
  }
  process.stderr.write('ERROR: Invalid syntax.\\r\\n');
  process.exit(1);
}
const rules = JSON.parse(fs.readFileSync(${JSON.stringify(rulesFile)}, 'utf8'))[${JSON.stringify(program)}] || [];
const joined = argv.join(' ') + (call.inputFile ? '\\n' + call.inputFile : '');
const rule = rules.find(r => !r.when || new RegExp(r.when).test(joined)) || {};
if (rule.stdout) process.stdout.write(rule.stdout);
if (rule.stderr) process.stderr.write(rule.stderr);
process.exit(rule.exitCode || 0);
`;

/** Creates the stubs; `programs` maps each program name to its rules (reg ignores rules). */
export async function createArgvStub(programs: Record<string, StubRule[]>, registry: Record<string, RegistryValue> = {}, fileNames: Record<string, string> = {}): Promise<ArgvStub> {
  const dir = await mkdtemp(join(tmpdir(), 'nsp-argv-stub-'));
  const bin = join(dir, 'bin');
  await mkdir(bin);
  const logFile = join(dir, 'calls.jsonl');
  const rulesFile = join(dir, 'rules.json');
  const registryFile = join(dir, 'registry.json');
  await writeFile(logFile, '');
  await writeFile(rulesFile, JSON.stringify(programs));
  await writeFile(registryFile, JSON.stringify(registry));
  for (const program of Object.keys(programs)) {
    await writeExecutable(join(bin, fileNames[program] ?? program), stubSource(program, logFile, rulesFile, registryFile));
  }
  return {
    dir: bin,
    activate: () => prependToPath(bin),
    async calls(program) {
      const all = await readJsonLines<StubCall>(logFile);
      return program ? all.filter(call => call.program === program) : all;
    },
    async registry() {
      return JSON.parse(await readFile(registryFile, 'utf8')) as Record<string, RegistryValue>;
    },
    async setRegistry(values) {
      await writeFile(registryFile, JSON.stringify(values));
    },
    async cleanup() {
      await rm(dir, {recursive: true, force: true});
    },
  };
}
