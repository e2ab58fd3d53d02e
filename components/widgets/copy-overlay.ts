/**
 * Text to copy, drawn by the terminal's own line wrapping instead of Ink's.
 *
 * A command longer than the terminal is wide must not be broken into lines (pasting a hard-wrapped
 * command into PowerShell runs its first half), and must not be cut. Ink can only draw lines that fit,
 * so the screen reserves blank rows for such a line and this overlay writes it there in one piece,
 * after every frame Ink writes: the terminal wraps it (a soft wrap, which a mouse selection copies as
 * one line in Windows Terminal, conhost, PuTTY, xterm and tmux). The cursor is saved and restored, so
 * Ink's own bookkeeping of the frame is not disturbed.
 */

export interface OverlayLine {
  /** 1-based terminal row of the first reserved row. */
  row: number;
  text: string;
}

let lines: readonly OverlayLine[] = [];
let paintTo: ((text: string) => void) | undefined;

const saveCursor = '\u001B7';
const restoreCursor = '\u001B8';

function paintSequence(): string {
  if (lines.length === 0) return '';
  return `${saveCursor}${lines.map(line => `\u001B[${line.row};1H${line.text}`).join('')}${restoreCursor}`;
}

/** The lines to draw now (an empty list: none); drawn at once and after every later frame. */
export function setCopyOverlay(next: readonly OverlayLine[]): void {
  const same = next.length === lines.length && next.every((line, index) => line.row === lines[index]!.row && line.text === lines[index]!.text);
  lines = next;
  if (!same && next.length > 0) paintTo?.(paintSequence());
}

/** What the overlay draws now (for tests: the frame itself has blank rows there). */
export function copyOverlayLines(): readonly OverlayLine[] {
  return lines;
}

/** The stream Ink writes its frames to, with the overlay drawn after each write. */
export function withCopyOverlay<T extends NodeJS.WritableStream>(stream: T): T {
  const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  paintTo = text => void original(text);
  const write = (...args: unknown[]): boolean => {
    const result = original(...args);
    const overlay = paintSequence();
    if (overlay) original(overlay);
    return result;
  };
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
