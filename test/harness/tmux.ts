import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {fileURLToPath} from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const launcher = `${projectRoot}bin/nsp-console.js`;

export interface TmuxSessionOptions {
  columns?: number;
  rows?: number;
  env?: Record<string, string>;
  cwd?: string;
  /** The command replaces the pane's shell (the pane pid is the program's, for signal tests); the dead pane stays readable. */
  execInPane?: boolean;
  /** Default timeout of waitFor (10 s). */
  waitTimeoutMs?: number;
}

/**
 * A detached tmux server of its own (private socket) running one shell command at a fixed size:
 * send-keys to type, capture-pane to read the screen as a person would see it.
 */
export class TmuxSession {
  readonly socket = `nsp-test-${randomBytes(4).toString('hex')}`;
  readonly name = 'main';

  private readonly waitTimeoutMs: number;

  constructor(command: string, options: TmuxSessionOptions = {}) {
    this.waitTimeoutMs = options.waitTimeoutMs ?? 10_000;
    const env = Object.entries(options.env ?? {})
      .map(([key, value]) => `${key}=${shellQuote(value)}`)
      .join(' ');
    // After the program ends the pane keeps a shell prompt marker, so tests can see that the prompt is back.
    const script = options.execInPane ? `${env ? `export ${env}; ` : ''}exec ${command}` : `${env ? `export ${env}; ` : ''}${command}; echo "[exit $?]"; PS1='PROMPT$ ' exec sh -i`;
    this.tmux('new-session', '-d', '-s', this.name, '-x', String(options.columns ?? 80), '-y', String(options.rows ?? 24), ...(options.cwd ? ['-c', options.cwd] : []), 'sh', '-c', script);
    if (options.execInPane) this.tmux('set-option', '-t', this.name, 'remain-on-exit', 'on');
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
  }

  /** Keys as tmux names them ("Enter", "Escape", "Down", "C-c") or literal text with {literal: true}. */
  sendKeys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  /** Sends text as one chunk, exactly as given (a burst, like SSH delivers it). */
  sendBurst(text: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  capture(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  /** The screen with the lines the terminal wrapped by itself joined (what a mouse selection copies). */
  captureJoined(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', this.name);
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows));
  }

  panePid(): number {
    return Number(this.tmux('display-message', '-p', '-t', this.name, '#{pane_pid}').trim());
  }

  async waitFor(predicate: string | RegExp | ((screen: string) => boolean), timeoutMs = this.waitTimeoutMs): Promise<string> {
    const test = typeof predicate === 'function' ? predicate : (screen: string) => (typeof predicate === 'string' ? screen.includes(predicate) : predicate.test(screen));
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.capture();
      if (test(screen)) return screen;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    throw new Error(`Timed out after ${timeoutMs} ms waiting for ${String(predicate)}; the screen was:\n${screen}`);
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], {stdio: 'ignore'});
  }
}

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The command line that starts the built console. */
export function consoleCommand(args: string[]): string {
  return [process.execPath, launcher, ...args].map(shellQuote).join(' ');
}
