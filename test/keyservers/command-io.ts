import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {type ConsoleContext, contextFrom} from '../../source/context.js';
import {errorMessage, ExitCode, UsageError} from '../../source/errors.js';
import {keyserverCommand} from '../../source/keyservers/command.js';
import {captureIo} from '../helpers/capture.js';

export function testContext(stateDir = mkdtempSync(join(tmpdir(), 'nsp-keyserver-state-')), env: NodeJS.ProcessEnv = {}): ConsoleContext {
  return contextFrom({root: stateDir, isDemo: true, stateDir, hostName: 'test', platform: 'linux', ascii: true, color: false, env});
}

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `keyserver …` as cli.tsx would: usage errors become exit 2, others 3, with the message on stderr. */
export async function runKeyserver(args: string[], context: ConsoleContext, options: {stderrIsTTY?: boolean} = {}): Promise<CommandRun> {
  const captured = captureIo();
  const stderr = captured.io.stderr as NodeJS.WritableStream & {isTTY?: boolean; columns?: number};
  if (options.stderrIsTTY) {
    stderr.isTTY = true;
    stderr.columns = 80;
  }
  let code: number;
  try {
    code = await keyserverCommand.run(args, context, captured.io);
  } catch (error) {
    stderr.write(`${errorMessage(error)}\n`);
    code = error instanceof UsageError ? ExitCode.usage : ExitCode.operational;
  }
  await new Promise(resolve => setImmediate(resolve));
  return {code, stdout: captured.stdout(), stderr: captured.stderr()};
}
