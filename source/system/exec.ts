import {execa} from 'execa';
import {OperationalError} from '../errors.js';
import {knownSecrets} from './secret-registry.js';
import {maskSecrets, recordCommand, sessionSecrets} from './session-record.js';
import {killProcessTree, stopLeftovers, trackGroup} from './process-tree.js';

export interface RunOptions {
  /** Stop the whole process tree after this many milliseconds (default 60 s). */
  timeoutMs?: number;
  /** After the time-out: TERM, then KILL once this has passed (default 2 s). */
  killGraceMs?: number;
  /** Written to the process's standard input: the only way a secret may reach a process. */
  input?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Extra values to mask in what is recorded (the session's known secrets are always masked). */
  secrets?: readonly string[];
  /** Called with each line of output as it arrives (masked). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface RunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
  /** What had to be stopped: the tree after a time-out, or processes the command left behind holding its output. */
  killed?: string;
}

/** The program does not exist here (e.g. `reg` or `powershell` on Linux). */
export class MissingProgramError extends OperationalError {
  override name = 'MissingProgramError';
  constructor(readonly program: string) {
    super(`The program "${program}" was not found on this system (is it installed and on PATH?).`);
  }
}

/** After the program itself exited, output still arriving from what it left behind is read this long. */
const drainMs = 500;
/** Output kept per stream; a runaway program cannot fill memory. */
const maxOutputChars = 4 * 1024 * 1024;

/**
 * The one place that starts external processes: no shell, a time-out for the whole process tree,
 * masked output, and a record of what ran. A non-zero exit is returned, not thrown; a missing program
 * throws. Never waits without a deadline: after time-out + grace + drain it returns whatever happened.
 */
export async function runCommand(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const refused = [...sessionSecrets(), ...(options.secrets ?? [])];
  // Masked: everything typed or learned from files this session, plus the caller's extra values.
  const secrets = [...knownSecrets().map(secret => secret.value), ...(options.secrets ?? [])];
  for (const argument of args) {
    if (refused.some(secret => secret.length > 0 && argument.includes(secret))) {
      throw new OperationalError('Refusing to pass a secret on a command line; it must go through standard input.');
    }
  }
  const timeoutMs = options.timeoutMs ?? 60_000;
  const graceMs = options.killGraceMs ?? 2_000;
  const startedAt = new Date();
  const started = performance.now();
  const subprocess = execa(file, args, {
    reject: false,
    buffer: false,
    input: options.input,
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    windowsHide: true,
    // POSIX: its own process group, so the whole tree can be signalled at once.
    detached: process.platform !== 'win32',
  });
  const pid = subprocess.pid;
  const untrack = pid !== undefined ? trackGroup(pid) : () => {};
  const output = {stdout: '', stderr: ''};
  const collect = (stream: 'stdout' | 'stderr') =>
    forwardLines(subprocess[stream], text => {
      if (output[stream].length < maxOutputChars) output[stream] += text;
    }, options.onLine ? line => options.onLine!(maskSecrets(line, secrets), stream) : undefined);
  collect('stdout');
  collect('stderr');

  let timedOut = false;
  let exited = false;
  // Both are bounded (grace + 1 s, or taskkill's own 5 s).
  let treeKill: Promise<string | undefined> | undefined;
  const stopReading = () => {
    subprocess.stdout?.destroy();
    subprocess.stderr?.destroy();
  };
  const timers: NodeJS.Timeout[] = [];
  const later = (ms: number, work: () => void) => timers.push(setTimeout(work, ms));
  later(timeoutMs, () => {
    if (exited || pid === undefined) return;
    timedOut = true;
    treeKill = killProcessTree(pid, graceMs);
    // Output stops counting at the time-out plus the grace; a grandchild that escaped the group cannot hold us.
    later(graceMs + drainMs, stopReading);
  });
  subprocess.on('exit', () => {
    exited = true;
    later(drainMs, stopReading);
  });

  const hardDeadline = timeoutMs + graceMs + drainMs + 1_000;
  let deadlineTimer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    subprocess,
    new Promise<undefined>(resolve => {
      deadlineTimer = setTimeout(() => resolve(undefined), hardDeadline);
    }),
  ]);
  clearTimeout(deadlineTimer);
  // A process group that outlives its leader holds no promise of ending: stop what is left.
  let killed = timedOut ? await treeKill : pid !== undefined ? await stopLeftovers(pid, graceMs) : undefined;
  if (!result) {
    stopReading();
    timedOut = true;
    killed = `${killed ?? 'the process tree was signalled'}; it did not end and was abandoned`;
    subprocess.catch(() => {});
  }
  for (const timer of timers) clearTimeout(timer);
  untrack();
  const durationMs = Math.round(performance.now() - started);
  const missing = (result as {code?: string} | undefined)?.code === 'ENOENT';
  const exitCode = timedOut ? null : (result?.exitCode ?? null);
  const outcome = missing ? 'missing-program' : timedOut ? 'timeout' : exitCode === 0 ? 'ok' : result?.failed && result.exitCode === undefined ? 'error' : 'failed';
  recordCommand({
    file,
    args: args.map(argument => maskSecrets(argument, secrets)),
    startedAt: startedAt.toISOString(),
    durationMs,
    exitCode,
    outcome,
  });
  if (missing) throw new MissingProgramError(file);
  return {
    exitCode,
    stdout: maskSecrets(stripFinalNewline(output.stdout), secrets),
    stderr: maskSecrets(stripFinalNewline(output.stderr), secrets),
    timedOut,
    durationMs,
    ...(killed ? {killed} : {}),
  };
}

/** As execa did for its callers: the last line ending is not part of the value. */
function stripFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function forwardLines(stream: NodeJS.ReadableStream | null | undefined, keep: (text: string) => void, onLine?: (line: string) => void): void {
  if (!stream) return;
  // Decode across chunk boundaries (a character may be split between two reads).
  (stream as NodeJS.ReadableStream & {setEncoding(encoding: string): void}).setEncoding('utf8');
  let buffered = '';
  stream.on('data', (chunk: Buffer | string) => {
    const text = chunk.toString();
    keep(text);
    if (!onLine) return;
    buffered += text;
    const lines = buffered.split(/\r?\n/);
    buffered = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  const flush = () => {
    if (onLine && buffered.length > 0) onLine(buffered);
    buffered = '';
  };
  stream.on('end', flush);
  stream.on('close', flush);
  stream.on('error', () => {});
}
