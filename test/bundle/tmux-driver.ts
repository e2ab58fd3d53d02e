import {execFileSync} from 'node:child_process';

/** A detached tmux session at 80x24 on its own socket, driven with send-keys and read with capture-pane. */
export class TmuxSession {
  private readonly socket = `nsp-bundle-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly name = 'e2e';

  constructor(command: string, cwd: string) {
    execFileSync('tmux', ['-L', this.socket, 'new-session', '-d', '-x', '80', '-y', '24', '-s', this.name, '-c', cwd, command]);
  }

  send(...keys: string[]): void {
    execFileSync('tmux', ['-L', this.socket, 'send-keys', '-t', this.name, ...keys]);
  }

  /** Literal text (no key-name lookup). */
  type(text: string): void {
    execFileSync('tmux', ['-L', this.socket, 'send-keys', '-t', this.name, '-l', text]);
  }

  screen(): string {
    return execFileSync('tmux', ['-L', this.socket, 'capture-pane', '-p', '-t', this.name], {encoding: 'utf8'});
  }

  async waitFor(pattern: RegExp | string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let screen = '';
      try {
        screen = this.screen();
      } catch {
        screen = '(session ended)';
      }
      if (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(pattern)} on screen:\n${screen}`);
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }

  alive(): boolean {
    try {
      execFileSync('tmux', ['-L', this.socket, 'has-session', '-t', this.name], {stdio: 'ignore'});
      return true;
    } catch {
      return false;
    }
  }

  kill(): void {
    try {
      execFileSync('tmux', ['-L', this.socket, 'kill-server'], {stdio: 'ignore'});
    } catch {
      /* already gone */
    }
  }
}
