/** The first lines of a program's output, for error messages and result screens. */
export function firstLines(text: string, count = 6): string {
  return text.trim().split(/\r?\n/).slice(0, count).join('\n');
}
