/**
 * A lenient XML reader for redaction: it yields what a parser sees (start and end tags with their
 * attributes, text, CDATA, comments) with the offsets of every raw value, so a value can be replaced
 * in place, in the file's own escaping. Unlike the strict checker in recipes/xml it never gives up:
 * a broken file is still read as far as it makes sense (text where markup cannot be read).
 */

export interface XmlScanAttribute {
  name: string;
  /** Raw value between the quotes. */
  valueStart: number;
  valueEnd: number;
}

export type XmlScanToken =
  | {kind: 'start'; name: string; attributes: XmlScanAttribute[]; selfClosing: boolean; start: number; end: number}
  | {kind: 'end'; name: string; start: number; end: number}
  /** Character data between tags (entities not yet decoded). */
  | {kind: 'text'; start: number; end: number}
  | {kind: 'cdata'; start: number; end: number}
  /** The comment's content, without `<!--` and `-->`. */
  | {kind: 'comment'; start: number; end: number}
  | {kind: 'other'; start: number; end: number};

const nameAt = /[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9_:.\u00B7\u00C0-\uFFFF]*/y;
const attributeAt = /\s*([^\s=/>"'<]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

export function* scanXml(text: string, from = 0, to = text.length): Generator<XmlScanToken> {
  let position = from;
  while (position < to) {
    const open = text.indexOf('<', position);
    const textEnd = open < 0 || open >= to ? to : open;
    if (textEnd > position) yield {kind: 'text', start: position, end: textEnd};
    if (textEnd >= to) return;
    position = textEnd;
    if (text.startsWith('<!--', position)) {
      const close = text.indexOf('-->', position + 4);
      const end = close < 0 || close + 3 > to ? to : close;
      yield {kind: 'comment', start: position + 4, end};
      position = Math.min(to, end + 3);
      continue;
    }
    if (text.startsWith('<![CDATA[', position)) {
      const close = text.indexOf(']]>', position + 9);
      const end = close < 0 || close + 3 > to ? to : close;
      yield {kind: 'cdata', start: position + 9, end};
      position = Math.min(to, end + 3);
      continue;
    }
    if (text.startsWith('<?', position) || text.startsWith('<!', position)) {
      const close = text.indexOf('>', position);
      const end = close < 0 || close >= to ? to : close + 1;
      yield {kind: 'other', start: position, end};
      position = end;
      continue;
    }
    if (text[position + 1] === '/') {
      nameAt.lastIndex = position + 2;
      const name = nameAt.exec(text)?.[0];
      const close = text.indexOf('>', position);
      if (name && close >= 0 && close < to) {
        yield {kind: 'end', name, start: position, end: close + 1};
        position = close + 1;
        continue;
      }
    } else {
      const tag = readStartTag(text, position, to);
      if (tag) {
        yield tag;
        position = tag.end;
        continue;
      }
    }
    // Not markup after all: a lone "<" is text.
    yield {kind: 'text', start: position, end: position + 1};
    position++;
  }
}

function readStartTag(text: string, start: number, to: number): Extract<XmlScanToken, {kind: 'start'}> | undefined {
  nameAt.lastIndex = start + 1;
  const nameMatch = nameAt.exec(text);
  if (!nameMatch) return undefined;
  const name = nameMatch[0];
  let position = nameAt.lastIndex;
  const attributes: XmlScanAttribute[] = [];
  for (;;) {
    attributeAt.lastIndex = position;
    const match = attributeAt.exec(text);
    if (!match || attributeAt.lastIndex > to) break;
    const quoted = match[2] ?? match[3] ?? '';
    const valueEnd = attributeAt.lastIndex - 1;
    attributes.push({name: match[1]!, valueStart: valueEnd - quoted.length, valueEnd});
    position = attributeAt.lastIndex;
  }
  while (position < to && /\s/.test(text[position]!)) position++;
  if (text.startsWith('/>', position)) return {kind: 'start', name, attributes, selfClosing: true, start, end: position + 2};
  if (text[position] === '>') return {kind: 'start', name, attributes, selfClosing: false, start, end: position + 1};
  return undefined;
}

const namedEntities: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'"};

/**
 * Resolves entity and character references of raw text. `offsets[i]` is the raw offset of decoded
 * character i and `offsets[decoded.length]` the raw end, so a decoded span maps back to raw text.
 */
export function decodeXmlText(text: string, start: number, end: number): {decoded: string; offsets: number[]} {
  let decoded = '';
  const offsets: number[] = [];
  let position = start;
  const reference = /&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|([A-Za-z]+));/y;
  while (position < end) {
    if (text[position] === '&') {
      reference.lastIndex = position;
      const match = reference.exec(text);
      if (match && reference.lastIndex <= end) {
        const code = match[1] !== undefined ? Number.parseInt(match[1], 16) : match[2] !== undefined ? Number.parseInt(match[2], 10) : undefined;
        const value = code !== undefined ? (code <= 0x10ffff ? String.fromCodePoint(code) : undefined) : namedEntities[match[3]!];
        if (value !== undefined) {
          for (let index = 0; index < value.length; index++) offsets.push(position);
          decoded += value;
          position = reference.lastIndex;
          continue;
        }
      }
    }
    offsets.push(position);
    decoded += text[position];
    position++;
  }
  offsets.push(end);
  return {decoded, offsets};
}
