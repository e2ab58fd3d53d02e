import {execFileSync} from 'node:child_process';

/**
 * A small tmux driver for end-to-end tests (until the shared test/harness/tmux.ts lands on main):
 * its own -L socket, a detached 80x24 session, send-keys, capture-pane.
 */
export class TmuxSession {
  readonly socket: string;
  readonly session = 'nsp';
  /** Every screen captured, to check what was ever visible. */
  readonly captures: string[] = [];

  constructor(name: string) {
    this.socket = `${name}-${process.pid}-${Date.now()}`;
  }

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
  }

  start(command: string[], env: Record<string, string> = {}, size = {columns: 80, rows: 24}): void {
    const exports = Object.entries(env).map(([key, value]) => `${key}=${shellQuote(value)}`);
    const line = [...(exports.length > 0 ? ['env', ...exports] : []), ...command.map(shellQuote)].join(' ');
    this.tmux(['new-session', '-d', '-s', this.session, '-x', String(size.columns), '-y', String(size.rows), line]);
  }

  /** Literal text (-l), so nothing is interpreted as a tmux key name. */
  type(text: string): void {
    this.tmux(['send-keys', '-t', this.session, '-l', text]);
  }

  key(...names: string[]): void {
    this.tmux(['send-keys', '-t', this.session, ...names]);
  }

  capture(): string {
    const screen = this.tmux(['capture-pane', '-p', '-t', this.session]);
    this.captures.push(screen);
    return screen;
  }

  async waitFor(text: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let screen = '';
      try {
        screen = this.capture();
      } catch {
        /* the session may be starting */
      }
      if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(text)} on screen:\n${screen}`);
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }

  isRunning(): boolean {
    try {
      this.tmux(['has-session', '-t', this.session]);
      return true;
    } catch {
      return false;
    }
  }

  kill(): void {
    try {
      this.tmux(['kill-server']);
    } catch {
      /* already gone */
    }
  }
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
