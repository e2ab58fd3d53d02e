import {readFile} from 'node:fs/promises';
import {extname, resolve} from 'node:path';
import {UsageError} from '../errors.js';
import {checkEmailAddress} from './filter.js';

export interface AddressList {
  addresses: string[];
  /** Lines that repeated an earlier address (case-insensitive). */
  duplicates: number;
}

/**
 * .txt: one address per line. .csv: comma or semicolon separated, quotes allowed; the column is the
 * one headed e-mail/email/mail/address, otherwise the first holding an "@". Blank lines and lines
 * starting with # are ignored. Any invalid address stops the run before a single lookup (exit 2).
 */
export async function readAddressFile(file: string): Promise<AddressList> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the address file ${path}: ${(error as Error).message}`);
  }
  text = text.replace(/^\uFEFF/, '');
  const isCsv = extname(path).toLowerCase() === '.csv';
  const problems: string[] = [];
  const seen = new Set<string>();
  const addresses: string[] = [];
  let duplicates = 0;
  const take = (value: string, number: number): void => {
    const problem = checkEmailAddress(value);
    if (problem) {
      problems.push(`line ${number}: ${problem}`);
      return;
    }
    const key = value.toLowerCase();
    if (seen.has(key)) {
      duplicates++;
      return;
    }
    seen.add(key);
    addresses.push(value);
  };
  if (isCsv) {
    const lines = meaningfulLines(text);
    const rows = lines.map(({line, number}) => ({cells: splitCsvLine(line, line.includes(';') && !line.includes(',') ? ';' : ','), number}));
    const header = rows[0]?.cells.findIndex(cell => /^(e-?mail( address)?|mail|address|smtp( address)?)$/i.test(cell.trim())) ?? -1;
    const column = header >= 0 ? header : (rows[0]?.cells.findIndex(cell => cell.includes('@')) ?? -1);
    if (column < 0) throw new UsageError(`${path}: no column headed "email" and no column with an "@" in the first row.`);
    for (const {cells, number} of rows.slice(header >= 0 ? 1 : 0)) take((cells[column] ?? '').trim(), number);
  } else {
    // Line by line in a plain loop (no list of lines, no generator per line): 100,000 addresses stay a few MB and start at once.
    forEachMeaningfulLine(text, take);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).join('\n  ');
    throw new UsageError(`${path} has ${problems.length} invalid address${problems.length === 1 ? '' : 'es'}; nothing was looked up. Fix or remove them:\n  ${shown}${problems.length > 10 ? `\n  … and ${problems.length - 10} more` : ''}`);
  }
  if (addresses.length === 0) throw new UsageError(`${path} contains no addresses.`);
  return {addresses, duplicates};
}

/** Each trimmed line with its number (from 1), without blank and # lines. */
function forEachMeaningfulLine(text: string, take: (line: string, number: number) => void): void {
  let start = 0;
  let number = 0;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    number++;
    const line = text.slice(start, end).trim();
    if (line.length > 0 && line.charCodeAt(0) !== 0x23) take(line, number);
    start = end + 1;
  }
}

function meaningfulLines(text: string): {line: string; number: number}[] {
  const lines: {line: string; number: number}[] = [];
  forEachMeaningfulLine(text, (line, number) => lines.push({line, number}));
  return lines;
}

export function splitCsvLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        current += '"';
        index++;
      } else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      cells.push(current);
      current = '';
    } else current += char;
  }
  cells.push(current);
  return cells;
}
