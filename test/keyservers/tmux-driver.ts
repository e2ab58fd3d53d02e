// A small tmux driver for end-to-end runs of the built binary at 80x24 on a private socket.
import {execFileSync} from 'node:child_process';

export class TmuxSession {
  private constructor(
    readonly socket: string,
    readonly name: string,
  ) {}

  static start(command: string[], options: {cwd: string; width?: number; height?: number}): TmuxSession {
    const session = new TmuxSession(`nsp-keyserver-e2e-${process.pid}-${Date.now()}`, 'e2e');
    const shellCommand = command.map(part => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
    execFileSync('tmux', ['-L', session.socket, '-f', '/dev/null', 'new-session', '-d', '-s', session.name, '-x', String(options.width ?? 80), '-y', String(options.height ?? 24), '-c', options.cwd, `${shellCommand}; echo "[exit $?]"; sleep 30`], {stdio: 'ignore'});
    return session;
  }

  capture(): string {
    return execFileSync('tmux', ['-L', this.socket, 'capture-pane', '-p', '-t', this.name], {encoding: 'utf8'});
  }

  /** send-keys: literal text (-l) or key names ("Enter", "Escape", "Down"). */
  send(keys: string, literal = true): void {
    execFileSync('tmux', ['-L', this.socket, 'send-keys', '-t', this.name, ...(literal ? ['-l', keys] : [keys])]);
  }

  async waitFor(text: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.capture();
      if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`tmux: timed out waiting for ${String(text)}; screen:\n${screen}`);
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }

  kill(): void {
    try {
      execFileSync('tmux', ['-L', this.socket, 'kill-server'], {stdio: 'ignore'});
    } catch {
      // Already gone.
    }
  }
}
