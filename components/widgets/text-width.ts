import stringWidth from 'string-width';

/** Columns a text takes on the terminal (wide CJK and emoji count 2, combining marks 0). */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** The longest start of text that fits in width columns. */
export function takeColumns(text: string, width: number): string {
  let used = 0;
  let end = 0;
  for (const char of text) {
    const columns = stringWidth(char);
    if (used + columns > width) break;
    used += columns;
    end += char.length;
  }
  return text.slice(0, end);
}

/** The longest end of text that fits in width columns. */
export function takeLastColumns(text: string, width: number): string {
  const chars = Array.from(text);
  let used = 0;
  let start = chars.length;
  while (start > 0) {
    const columns = stringWidth(chars[start - 1]!);
    if (used + columns > width) break;
    used += columns;
    start--;
  }
  return chars.slice(start).join('');
}

/** Cuts text to width columns, ending with the ellipsis when cut (ASCII "..." in ASCII mode). */
export function truncate(text: string, width: number, ascii = false): string {
  if (displayWidth(text) <= width) return text;
  const ellipsis = ascii ? '...' : '…';
  const room = width - displayWidth(ellipsis);
  if (room <= 0) return takeColumns(text, Math.max(0, width));
  return takeColumns(text, room) + ellipsis;
}
