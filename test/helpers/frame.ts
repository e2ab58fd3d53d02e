import {stripVTControlCharacters} from 'node:util';
import type {Rendered} from './ink.js';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export const standardSizes: readonly TerminalSize[] = [
  {columns: 80, rows: 24},
  {columns: 60, rows: 20},
  {columns: 120, rows: 40},
];

/** Gives the test terminal a size (the test terminal is 100 columns, no rows) and tells Ink it changed. */
export function resizeTerminal(rendered: Rendered, size: TerminalSize): void {
  Object.defineProperty(rendered.stdout, 'columns', {value: size.columns, configurable: true});
  Object.defineProperty(rendered.stdout, 'rows', {value: size.rows, configurable: true});
  rendered.stdout.emit('resize');
}

/** Why a frame does not fit the terminal (height at most rows - 1, every line at most columns - 1 wide), or undefined. */
export function frameProblem(frame: string, size: TerminalSize): string | undefined {
  const lines = frame.split('\n');
  if (lines.length > size.rows - 1) return `${lines.length} lines, more than ${size.rows - 1}`;
  for (const line of lines) {
    // The console draws no wide (CJK) characters: one code point is one column.
    const width = [...stripVTControlCharacters(line)].length;
    if (width > size.columns - 1) return `a line is ${width} wide, more than ${size.columns - 1}: ${JSON.stringify(line)}`;
  }
  return undefined;
}
