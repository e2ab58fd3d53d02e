/**
 * Quoting for command lines the console prints for the admin to copy. An account such as
 * CORP\svc$sql or CORP\a$(id) must reach the program as typed, whatever shell it is pasted into:
 * inside single quotes neither PowerShell nor a POSIX shell expands $, $( ), backticks or
 * backslashes.
 */
export type PasteShell = 'powershell' | 'posix';

/** The shell a printed line will most likely be pasted into: PowerShell on Windows (also over SSH), sh/bash elsewhere. */
export function pasteShellFor(platform: NodeJS.Platform): PasteShell {
  return platform === 'win32' ? 'powershell' : 'posix';
}

/** PowerShell also takes the typographic single quotes ‘ ’ ‚ ‛ as quote characters. */
const powerShellQuotes = /['\u2018\u2019\u201a\u201b]/g;

/** One argument, single-quoted for `shell` (a quote inside is doubled, or closed-escaped-reopened). */
export function quoteForShell(value: string, shell: PasteShell): string {
  if (shell === 'powershell') return `'${value.replace(powerShellQuotes, quote => quote + quote)}'`;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
