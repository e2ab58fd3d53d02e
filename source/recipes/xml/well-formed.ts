/**
 * A small XML well-formedness checker that also reports where each element and attribute sits in
 * the text, so edits can touch exactly one spot. No dependency: the config files are plain XML
 * (declaration, comments, elements, attributes, text, CDATA, processing instructions).
 * DOCTYPE declarations are refused: .NET config files never have one.
 */

export interface XmlAttribute {
  name: string;
  /** The decoded value (entities resolved). */
  value: string;
  /** Offset of the attribute name. */
  start: number;
  /** Offset just after the closing quote. */
  end: number;
  /** Offsets of the raw value between the quotes. */
  valueStart: number;
  valueEnd: number;
}

export interface XmlElement {
  name: string;
  attributes: XmlAttribute[];
  /** Offset of '<' of the start tag. */
  start: number;
  /** Offset just after the '>' of the start tag. */
  startTagEnd: number;
  /** Offset of the end of the element's name in the start tag. */
  nameEnd: number;
  selfClosing: boolean;
  /** Offset of '<' of the end tag (equal to startTagEnd's tag when self-closing). */
  endTagStart: number;
  parent: XmlElement | undefined;
  children: XmlElement[];
  depth: number;
}

export interface XmlDocument {
  root: XmlElement;
  /** Every element in document order. */
  elements: XmlElement[];
}

export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`not well-formed XML at line ${line}, column ${column}: ${reason}`);
  }
}

const nameStart = /[A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/;
const nameChar = /[-A-Za-z0-9_:.\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/;
const predefinedEntities: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'"};

/** Parses the text (a leading BOM is allowed) and throws XmlSyntaxError with line and column. */
export function parseXml(text: string): XmlDocument {
  return new Parser(text).document();
}

/** Undefined when well-formed, otherwise the error. */
export function checkWellFormed(text: string): XmlSyntaxError | undefined {
  try {
    parseXml(text);
    return undefined;
  } catch (error) {
    if (error instanceof XmlSyntaxError) return error;
    throw error;
  }
}

class Parser {
  private position = 0;
  private readonly elements: XmlElement[] = [];

  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.position = 1;
  }

  document(): XmlDocument {
    if (this.text.startsWith('<?xml', this.position) && /[\s?]/.test(this.text[this.position + 5] ?? '')) this.declaration();
    this.misc();
    if (this.position >= this.text.length) this.fail('there is no root element');
    if (this.text.startsWith('<!DOCTYPE', this.position)) this.fail('DOCTYPE declarations are not supported in configuration files');
    if (this.text[this.position] !== '<') this.fail('text before the root element');
    const root = this.element(undefined, 0);
    this.misc();
    if (this.position < this.text.length) this.fail(this.text[this.position] === '<' ? 'a second root element or markup after the root element' : 'text after the root element');
    return {root, elements: this.elements};
  }

  private declaration(): void {
    const end = this.text.indexOf('?>', this.position);
    if (end < 0) this.fail('the XML declaration is not closed with "?>"');
    const body = this.text.slice(this.position + 5, end);
    if (!/^\s+version\s*=\s*(["'])1\.[0-9]+\1(\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*$/.test(body)) {
      this.fail('the XML declaration is malformed');
    }
    this.position = end + 2;
  }

  /** Whitespace, comments and processing instructions outside the root. */
  private misc(): void {
    for (;;) {
      this.skipWhitespace();
      if (this.text.startsWith('<!--', this.position)) this.comment();
      else if (this.text.startsWith('<?', this.position)) this.processingInstruction();
      else return;
    }
  }

  private element(parent: XmlElement | undefined, depth: number): XmlElement {
    const start = this.position;
    this.position++; // '<'
    const name = this.name('an element name');
    const nameEnd = this.position;
    const attributes: XmlAttribute[] = [];
    for (;;) {
      const hadSpace = this.skipWhitespace();
      const char = this.text[this.position];
      if (char === undefined) this.fail(`the start tag <${name}> is not closed`);
      if (char === '>' || (char === '/' && this.text[this.position + 1] === '>')) break;
      if (!hadSpace) this.fail(`expected whitespace, ">" or "/>" in the start tag <${name}>`);
      const attribute = this.attribute(name);
      if (attributes.some(existing => existing.name === attribute.name)) this.fail(`the attribute "${attribute.name}" appears twice on <${name}>`, attribute.start);
      attributes.push(attribute);
    }
    const selfClosing = this.text[this.position] === '/';
    this.position += selfClosing ? 2 : 1;
    const element: XmlElement = {name, attributes, start, startTagEnd: this.position, nameEnd, selfClosing, endTagStart: start, parent, children: [], depth};
    this.elements.push(element);
    parent?.children.push(element);
    if (selfClosing) return element;
    this.content(element);
    element.endTagStart = this.position;
    this.position += 2; // '</'
    const closing = this.name('the end tag name');
    if (closing !== name) this.fail(`the end tag </${closing}> does not match the start tag <${name}>`, element.endTagStart);
    this.skipWhitespace();
    if (this.text[this.position] !== '>') this.fail(`the end tag </${name}> is not closed with ">"`);
    this.position++;
    return element;
  }

  private content(element: XmlElement): void {
    for (;;) {
      const char = this.text[this.position];
      if (char === undefined) this.fail(`the element <${element.name}> (line ${this.lineOf(element.start)}) is never closed`);
      if (char === '<') {
        if (this.text.startsWith('</', this.position)) return;
        if (this.text.startsWith('<!--', this.position)) this.comment();
        else if (this.text.startsWith('<![CDATA[', this.position)) this.cdata();
        else if (this.text.startsWith('<?', this.position)) this.processingInstruction();
        else if (this.text.startsWith('<!', this.position)) this.fail('unexpected "<!" markup');
        else this.element(element, element.depth + 1);
      } else if (char === '&') {
        this.reference();
      } else {
        if (char === ']' && this.text.startsWith(']]>', this.position)) this.fail('"]]>" is not allowed in text');
        this.checkChar(this.position);
        this.position++;
      }
    }
  }

  private attribute(elementName: string): XmlAttribute {
    const start = this.position;
    const name = this.name(`an attribute name in <${elementName}>`);
    this.skipWhitespace();
    if (this.text[this.position] !== '=') this.fail(`the attribute "${name}" has no "=" and value`);
    this.position++;
    this.skipWhitespace();
    const quote = this.text[this.position];
    if (quote !== '"' && quote !== "'") this.fail(`the value of the attribute "${name}" is not in quotes`);
    this.position++;
    const valueStart = this.position;
    let value = '';
    for (;;) {
      const char = this.text[this.position];
      if (char === undefined) this.fail(`the value of the attribute "${name}" is not closed`, valueStart);
      if (char === quote) break;
      if (char === '<') this.fail(`"<" is not allowed in the value of the attribute "${name}"`);
      if (char === '&') value += this.reference();
      else {
        this.checkChar(this.position);
        value += char;
        this.position++;
      }
    }
    const valueEnd = this.position;
    this.position++;
    return {name, value, start, end: this.position, valueStart, valueEnd};
  }

  private reference(): string {
    const match = /^&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|([A-Za-z_][-A-Za-z0-9_.]*));/.exec(this.text.slice(this.position, this.position + 40));
    if (!match) this.fail('"&" must start an entity reference such as &amp;');
    let value: string;
    if (match[3] !== undefined) {
      const entity = predefinedEntities[match[3]];
      if (entity === undefined) this.fail(`unknown entity &${match[3]};`);
      value = entity;
    } else {
      const code = match[1] !== undefined ? Number.parseInt(match[1], 16) : Number.parseInt(match[2]!, 10);
      if (!isXmlCodePoint(code)) this.fail(`the character reference ${match[0]} is not an allowed character`);
      value = String.fromCodePoint(code);
    }
    this.position += match[0].length;
    return value;
  }

  private comment(): void {
    const end = this.text.indexOf('-->', this.position + 4);
    if (end < 0) this.fail('a comment is not closed with "-->"');
    if (this.text.slice(this.position + 4, end).includes('--')) this.fail('"--" is not allowed inside a comment');
    this.position = end + 3;
  }

  private cdata(): void {
    const end = this.text.indexOf(']]>', this.position);
    if (end < 0) this.fail('a CDATA section is not closed with "]]>"');
    this.position = end + 3;
  }

  private processingInstruction(): void {
    this.position += 2;
    const target = this.name('a processing instruction target');
    if (target.toLowerCase() === 'xml') this.fail('the XML declaration may only appear at the very start of the file');
    const end = this.text.indexOf('?>', this.position);
    if (end < 0) this.fail('a processing instruction is not closed with "?>"');
    this.position = end + 2;
  }

  private name(what: string): string {
    const start = this.position;
    const first = this.text[start];
    if (first === undefined || !nameStart.test(first)) this.fail(`expected ${what}`);
    this.position++;
    while (this.position < this.text.length && nameChar.test(this.text[this.position]!)) this.position++;
    return this.text.slice(start, this.position);
  }

  private skipWhitespace(): boolean {
    const start = this.position;
    while (/[ \t\r\n]/.test(this.text[this.position] ?? '')) this.position++;
    return this.position > start;
  }

  private checkChar(offset: number): void {
    const code = this.text.codePointAt(offset)!;
    if (!isXmlCodePoint(code) && !(code >= 0xd800 && code <= 0xdfff)) this.fail(`the control character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`, offset);
  }

  private lineOf(offset: number): number {
    return lineAndColumn(this.text, offset).line;
  }

  private fail(reason: string, offset = this.position): never {
    const {line, column} = lineAndColumn(this.text, offset);
    throw new XmlSyntaxError(reason, line, column);
  }
}

function isXmlCodePoint(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** 1-based line and column of an offset (CRLF, LF and CR all end a line). */
export function lineAndColumn(text: string, offset: number): {line: number; column: number} {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    const char = text[index];
    if (char === '\n' || (char === '\r' && text[index + 1] !== '\n')) {
      line++;
      lineStart = index + 1;
    }
  }
  return {line, column: offset - lineStart + 1};
}
