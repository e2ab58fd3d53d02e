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
  let candidates: Iterable<{value: string; number: number}>;
  if (isCsv) {
    const lines = [...meaningfulLines(text)];
    const rows = lines.map(({line, number}) => ({cells: splitCsvLine(line, line.includes(';') && !line.includes(',') ? ';' : ','), number}));
    const header = rows[0]?.cells.findIndex(cell => /^(e-?mail( address)?|mail|address|smtp( address)?)$/i.test(cell.trim())) ?? -1;
    const column = header >= 0 ? header : (rows[0]?.cells.findIndex(cell => cell.includes('@')) ?? -1);
    if (column < 0) throw new UsageError(`${path}: no column headed "email" and no column with an "@" in the first row.`);
    candidates = rows.slice(header >= 0 ? 1 : 0).map(({cells, number}) => ({value: (cells[column] ?? '').trim(), number}));
  } else {
    // Line by line, never the whole list of lines at once: 100,000 addresses stay a few MB.
    candidates = (function* () {
      for (const {line, number} of meaningfulLines(text)) yield {value: line, number};
    })();
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const addresses: string[] = [];
  let duplicates = 0;
  for (const {value, number} of candidates) {
    const problem = checkEmailAddress(value);
    if (problem) {
      problems.push(`line ${number}: ${problem}`);
      continue;
    }
    const key = value.toLowerCase();
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    addresses.push(value);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).join('\n  ');
    throw new UsageError(`${path} has ${problems.length} invalid address${problems.length === 1 ? '' : 'es'}; nothing was looked up. Fix or remove them:\n  ${shown}${problems.length > 10 ? `\n  … and ${problems.length - 10} more` : ''}`);
  }
  if (addresses.length === 0) throw new UsageError(`${path} contains no addresses.`);
  return {addresses, duplicates};
}

/** Trimmed lines with their numbers (from 1), without blank and # lines. */
function* meaningfulLines(text: string): Generator<{line: string; number: number}> {
  let start = 0;
  let number = 0;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    number++;
    const line = text.slice(start, end).trim();
    if (line.length > 0 && !line.startsWith('#')) yield {line, number};
    start = end + 1;
  }
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
