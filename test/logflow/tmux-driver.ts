import {execFileSync} from 'node:child_process';

/** Drives the built console in a detached 80x24 tmux session on its own socket. */
export class TmuxConsole {
  readonly socket: string;
  constructor(name: string) {
    this.socket = `logflow-${name}-${process.pid}`;
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
  }

  start(command: string[], env: Record<string, string> = {}): void {
    const exports = Object.entries(env).map(([key, value]) => `${key}=${shellQuote(value)}`).join(' ');
    const line = `${exports ? `env ${exports} ` : ''}exec ${command.map(shellQuote).join(' ')}`;
    this.tmux('new-session', '-d', '-x', '80', '-y', '24', '-s', 'main', line);
    this.tmux('set-option', '-t', 'main', 'remain-on-exit', 'on');
  }

  pid(): number {
    return Number(this.tmux('display-message', '-p', '-t', 'main', '#{pane_pid}').trim());
  }

  send(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  capture(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main');
  }

  async waitFor(text: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.capture();
      if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
      if (Date.now() > until) throw new Error(`Timed out waiting for ${String(text)}; screen:\n${screen}`);
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
