/**
 * ADO.NET connection strings (`Server=db;User ID=sa;Password='Quo;ted'`), parsed the way
 * DbConnectionStringBuilder reads them: `key = value` pairs separated by `;`, spaces around `=`
 * ignored, `==` in a key is one `=`, values quoted with `'` or `"` (the quote doubled inside),
 * `;` inside quotes, ODBC-style `{…}` values. Lenient: an unclosed quote runs to the end, so a
 * broken string can only hide more, never less.
 */

export interface ConnectionStringPart {
  /** The key, trimmed, `==` unescaped. */
  key: string;
  /** The value as the driver sees it (quotes removed, doubled quotes single). */
  value: string;
  /** The value's raw span in the text, quotes included. */
  valueStart: number;
  valueEnd: number;
}

const isSpace = (char: string | undefined) => char === ' ' || char === '\t' || char === '\r' || char === '\n';

export function parseConnectionString(text: string): ConnectionStringPart[] {
  const parts: ConnectionStringPart[] = [];
  let position = 0;
  while (position < text.length) {
    while (position < text.length && (isSpace(text[position]) || text[position] === ';')) position++;
    if (position >= text.length) break;
    // The key runs to the first single "=" ("==" is an escaped "=").
    let key = '';
    let hasEquals = false;
    while (position < text.length) {
      const char = text[position]!;
      if (char === '=') {
        if (text[position + 1] === '=') {
          key += '=';
          position += 2;
          continue;
        }
        hasEquals = true;
        position++;
        break;
      }
      if (char === ';') break;
      key += char;
      position++;
    }
    if (!hasEquals) continue;
    while (position < text.length && isSpace(text[position])) position++;
    const valueStart = position;
    const open = text[position];
    let value = '';
    if (open === '"' || open === "'" || open === '{') {
      const close = open === '{' ? '}' : open;
      position++;
      let closed = false;
      while (position < text.length) {
        const char = text[position]!;
        if (char === close) {
          if (text[position + 1] === close) {
            value += close;
            position += 2;
            continue;
          }
          position++;
          closed = true;
          break;
        }
        value += char;
        position++;
      }
      let valueEnd = position;
      if (closed) {
        // Anything but spaces between the closing quote and ";" belongs to the value (as the driver would refuse it, hide it all).
        let look = position;
        while (look < text.length && text[look] !== ';') look++;
        const trailing = text.slice(position, look);
        if (trailing.trim().length > 0) {
          value += trailing.trimEnd();
          valueEnd = position + trailing.trimEnd().length;
        }
        position = look;
      }
      parts.push({key: key.trim(), value, valueStart, valueEnd});
    } else {
      while (position < text.length && text[position] !== ';') position++;
      let valueEnd = position;
      while (valueEnd > valueStart && isSpace(text[valueEnd - 1])) valueEnd--;
      value = text.slice(valueStart, valueEnd);
      parts.push({key: key.trim(), value, valueStart, valueEnd});
    }
  }
  return parts;
}

/** Writes one value so that parseConnectionString reads it back (quoted only when it must be). */
export function quoteConnectionValue(value: string): string {
  const needsQuotes = value.length === 0 || /[;'"{=]/.test(value[0] ?? '') || /;/.test(value) || value !== value.trim();
  if (!needsQuotes) return value;
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/"/g, '""')}"`;
}
