import {execFileSync, spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** Debian's wine64 launcher is not on PATH: `dpkg -L wine64` names it (and its wineserver). */
export function wineProgram(name: 'wine64' | 'wineserver64'): string {
  const listed = execFileSync('dpkg', ['-L', 'wine64'], {encoding: 'utf8'}).split('\n');
  const found = listed.find(path => path.endsWith(`/${name}`) && existsSync(path));
  if (!found) throw new Error(`the wine64 package does not list ${name}: is wine64 installed (npm test's pretest installs it)?`);
  return found;
}

export interface WineRunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface WineRunOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Windows working folder, e.g. C:\\work (default: C:\\). */
  cwd?: string;
}

/**
 * A throw-away Wine prefix (a fresh C: drive and registry) for one test run. A Windows program's
 * stdout under Wine must be a file or a terminal (a pipe gives EBADF), so runs write to files.
 */
export class WinePrefix {
  readonly dir = mkdtempSync(join(tmpdir(), 'nsp-wine-'));
  readonly wine = wineProgram('wine64');
  readonly wineserver = wineProgram('wineserver64');
  private runs = 0;

  /** The environment every Wine program of this prefix runs with. */
  get env(): Record<string, string> {
    return {
      ...(process.env as Record<string, string>),
      WINEPREFIX: this.dir,
      WINEDEBUG: '-all',
      // No prompts to install Mono or Gecko: nothing here needs .NET or a browser engine.
      WINEDLLOVERRIDES: 'mscoree,mshtml=',
      WINEARCH: 'win64',
    };
  }

  /** Creates the prefix and makes it report Windows 10 (node.exe refuses older versions). */
  async create(): Promise<void> {
    await this.runProgram(['wineboot', '-i'], {timeoutMs: 240_000});
    const version = await this.runProgram(['winecfg', '/v', 'win10'], {timeoutMs: 60_000});
    if (version.exitCode !== 0) throw new Error(`winecfg /v win10 failed: ${version.stderr}`);
  }

  /** C:\\a\\b → the Linux path of that file in this prefix. */
  linuxPath(windowsPath: string): string {
    const match = /^([a-zA-Z]):\\(.*)$/.exec(windowsPath);
    if (!match || match[1]!.toLowerCase() !== 'c') throw new Error(`not a C: path: ${windowsPath}`);
    return join(this.dir, 'drive_c', ...match[2]!.split('\\').filter(part => part.length > 0));
  }

  mkdir(windowsPath: string): string {
    const path = this.linuxPath(windowsPath);
    mkdirSync(path, {recursive: true});
    return path;
  }

  /** Runs a Windows program (or Wine built-in such as reg, cmd, taskkill) with output to files, under a deadline. */
  runProgram(args: readonly string[], options: WineRunOptions = {}): Promise<WineRunResult> {
    const outputDir = join(this.dir, 'test-output');
    mkdirSync(outputDir, {recursive: true});
    const id = ++this.runs;
    const stdoutPath = join(outputDir, `${id}.out`);
    const stderrPath = join(outputDir, `${id}.err`);
    const stdout = openSync(stdoutPath, 'w');
    const stderr = openSync(stderrPath, 'w');
    const timeoutMs = options.timeoutMs ?? 120_000;
    return new Promise((resolve, reject) => {
      const child = spawn(this.wine, args, {stdio: ['ignore', stdout, stderr], env: {...this.env, ...options.env}, cwd: options.cwd ? this.linuxPath(options.cwd) : undefined, detached: true});
      closeSync(stdout);
      closeSync(stderr);
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
        reject(new Error(`wine ${args.join(' ')} did not finish within ${timeoutMs} ms; output so far: ${readFileSync(stdoutPath, 'utf8')}${readFileSync(stderrPath, 'utf8')}`));
      }, timeoutMs);
      child.on('error', error => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('exit', code => {
        clearTimeout(timer);
        resolve({exitCode: code, stdout: readFileSync(stdoutPath, 'utf8'), stderr: readFileSync(stderrPath, 'utf8')});
      });
    });
  }

  async regAdd(key: string, value: string, data: string): Promise<void> {
    const result = await this.runProgram(['reg', 'add', key, '/v', value, '/d', data, '/f']);
    if (result.exitCode !== 0) throw new Error(`reg add failed: ${result.stdout}${result.stderr}`);
  }

  /** Ends every Windows process of the prefix and removes it. */
  destroy(): void {
    try {
      execFileSync(this.wineserver, ['-k'], {env: this.env, stdio: 'ignore', timeout: 30_000});
    } catch {
      // no server running
    }
    rmSync(this.dir, {recursive: true, force: true});
  }
}
