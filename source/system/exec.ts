import {execa} from 'execa';
import {OperationalError} from '../errors.js';
import {knownSecrets} from './secret-registry.js';
import {maskSecrets, recordCommand, sessionSecrets} from './session-record.js';

export interface RunOptions {
  /** Kill the process after this many milliseconds (default 60 s). */
  timeoutMs?: number;
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
}

/** The program does not exist here (e.g. `reg` or `powershell` on Linux). */
export class MissingProgramError extends OperationalError {
  override name = 'MissingProgramError';
  constructor(readonly program: string) {
    super(`The program "${program}" was not found on this system (is it installed and on PATH?).`);
  }
}

/**
 * The one place that starts external processes: no shell, a time-out, masked output,
 * and a record of what ran. A non-zero exit is returned, not thrown; a missing program throws.
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
  const startedAt = new Date();
  const started = performance.now();
  const subprocess = execa(file, args, {
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
    input: options.input,
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    windowsHide: true,
    forceKillAfterDelay: 2_000,
  });
  if (options.onLine) {
    const onLine = options.onLine;
    forwardLines(subprocess.stdout, line => onLine(maskSecrets(line, secrets), 'stdout'));
    forwardLines(subprocess.stderr, line => onLine(maskSecrets(line, secrets), 'stderr'));
  }
  const result = await subprocess;
  const durationMs = Math.round(performance.now() - started);
  const missing = (result as {code?: string}).code === 'ENOENT';
  const outcome = missing ? 'missing-program' : result.timedOut ? 'timeout' : result.exitCode === 0 ? 'ok' : result.failed && result.exitCode === undefined ? 'error' : 'failed';
  recordCommand({
    file,
    args: args.map(argument => maskSecrets(argument, secrets)),
    startedAt: startedAt.toISOString(),
    durationMs,
    exitCode: result.exitCode ?? null,
    outcome,
  });
  if (missing) throw new MissingProgramError(file);
  return {
    exitCode: result.exitCode ?? null,
    stdout: maskSecrets(String(result.stdout ?? ''), secrets),
    stderr: maskSecrets(String(result.stderr ?? ''), secrets),
    timedOut: result.timedOut,
    durationMs,
  };
}

function forwardLines(stream: NodeJS.ReadableStream | null | undefined, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.on('data', (chunk: Buffer | string) => {
    buffered += chunk.toString();
    const lines = buffered.split(/\r?\n/);
    buffered = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (buffered.length > 0) onLine(buffered);
  });
}
