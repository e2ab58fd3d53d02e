import {OperationalError} from '../../errors.js';
import {lineAndColumn, parseXml, XmlSyntaxError, type XmlDocument, type XmlElement} from '../xml/well-formed.js';

/**
 * The knowledge-base edit of Gateway Role.config, as pure functions over the decoded text:
 * set isProxyTunnelEnabled on <smtpServicePointConfiguration>, or add that element on the line
 * directly below the opening <netatwork.nospamproxy.proxyconfiguration>. Only that spot changes.
 */
export const proxyConfigurationName = 'netatwork.nospamproxy.proxyconfiguration';
export const servicePointName = 'smtpServicePointConfiguration';
export const tunnelAttributeName = 'isProxyTunnelEnabled';

/** The file cannot be edited safely (malformed, elements missing or ambiguous): exit code 3. */
export class TunnelConfigError extends OperationalError {
  override name = 'TunnelConfigError';
}

export interface TunnelState {
  proxyConfigurationFound: boolean;
  servicePointFound: boolean;
  /** The attribute's value as written, when present. */
  attributeValue: string | undefined;
  /** True only for the value "true" (any case, surrounding spaces ignored, as .NET parses booleans). */
  enabled: boolean;
  /** Set when the attribute holds something that is neither true nor false. */
  warning?: string;
  /** 1-based line of <smtpServicePointConfiguration>, when present. */
  servicePointLine?: number;
}

export interface TunnelEdit {
  text: string;
  changed: boolean;
  /** What was done, in one sentence. */
  summary: string;
  /** 1-based line where the change starts (in the new text). */
  line: number;
  /** The changed lines before and after, for showing the admin. */
  before: string[];
  after: string[];
}

interface Located {
  document: XmlDocument;
  proxyConfiguration: XmlElement | undefined;
  servicePoint: XmlElement | undefined;
}

function locate(text: string): Located {
  let document: XmlDocument;
  try {
    document = parseXml(text);
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw new TunnelConfigError(`Gateway Role.config is ${error.message}. Nothing was changed; repair the file (or restore a backup) first.`);
    throw error;
  }
  const proxyConfigurations = document.elements.filter(element => element.name === proxyConfigurationName);
  const servicePoints = document.elements.filter(element => element.name === servicePointName);
  if (proxyConfigurations.length > 1) {
    throw new TunnelConfigError(`Gateway Role.config has ${proxyConfigurations.length} <${proxyConfigurationName}> elements (lines ${proxyConfigurations.map(element => lineAndColumn(text, element.start).line).join(', ')}); expected one. Nothing was changed.`);
  }
  if (servicePoints.length > 1) {
    throw new TunnelConfigError(`Gateway Role.config has ${servicePoints.length} <${servicePointName}> elements (lines ${servicePoints.map(element => lineAndColumn(text, element.start).line).join(', ')}); expected at most one. Nothing was changed.`);
  }
  return {document, proxyConfiguration: proxyConfigurations[0], servicePoint: servicePoints[0]};
}

export function readTunnelState(text: string): TunnelState {
  const {proxyConfiguration, servicePoint} = locate(text);
  const attribute = servicePoint?.attributes.find(candidate => candidate.name === tunnelAttributeName);
  const normalized = attribute?.value.trim().toLowerCase();
  const state: TunnelState = {
    proxyConfigurationFound: proxyConfiguration !== undefined,
    servicePointFound: servicePoint !== undefined,
    attributeValue: attribute?.value,
    enabled: normalized === 'true',
  };
  if (servicePoint) state.servicePointLine = lineAndColumn(text, servicePoint.start).line;
  if (normalized !== undefined && normalized !== 'true' && normalized !== 'false') {
    state.warning = `${tunnelAttributeName}="${attribute!.value}" is neither true nor false; NoSpamProxy may refuse to start.`;
  }
  return state;
}

export function describeTunnelState(state: TunnelState): string {
  if (state.attributeValue !== undefined) {
    return `TCP proxy tunnel ${state.enabled ? 'ENABLED' : 'disabled'}: <${servicePointName} ${tunnelAttributeName}="${state.attributeValue}"> on line ${state.servicePointLine}.`;
  }
  if (state.servicePointFound) return `TCP proxy tunnel disabled: <${servicePointName}> (line ${state.servicePointLine}) has no ${tunnelAttributeName} attribute.`;
  if (state.proxyConfigurationFound) return `TCP proxy tunnel disabled: there is no <${servicePointName}> element yet.`;
  return `TCP proxy tunnel disabled: neither <${servicePointName}> nor <${proxyConfigurationName}> is in the file.`;
}

/** Turns the tunnel on: the attribute is set or added, or the element is inserted. */
export function enableTunnel(text: string): TunnelEdit {
  const {proxyConfiguration, servicePoint} = locate(text);
  if (servicePoint) return setAttribute(text, servicePoint, 'true');
  if (!proxyConfiguration) {
    throw new TunnelConfigError(
      `Gateway Role.config has neither <${servicePointName} ...> nor <${proxyConfigurationName}>: the knowledge-base edit needs one of them. ` +
        'Is this the Gateway Role configuration of NoSpamProxy? Nothing was changed.',
    );
  }
  return insertServicePoint(text, proxyConfiguration);
}

/** Turns the tunnel off: an existing attribute is set to "false"; nothing else is touched. */
export function disableTunnel(text: string): TunnelEdit {
  const {servicePoint} = locate(text);
  const attribute = servicePoint?.attributes.find(candidate => candidate.name === tunnelAttributeName);
  if (!servicePoint || !attribute) {
    return unchanged(text, servicePoint?.start ?? 0, servicePoint ? `<${servicePointName}> has no ${tunnelAttributeName} attribute: the tunnel is already off.` : `There is no <${servicePointName}> element: the tunnel is already off.`);
  }
  return setAttribute(text, servicePoint, 'false');
}

function setAttribute(text: string, element: XmlElement, value: 'true' | 'false'): TunnelEdit {
  const attribute = element.attributes.find(candidate => candidate.name === tunnelAttributeName);
  if (attribute) {
    if (attribute.value.trim().toLowerCase() === value) {
      return unchanged(text, element.start, `${tunnelAttributeName} is already "${attribute.value}": nothing to change.`);
    }
    return replaceRange(text, attribute.valueStart, attribute.valueEnd, value, `Set ${tunnelAttributeName}="${value}" on <${servicePointName}> (was "${attribute.value}").`);
  }
  const insertAt = element.attributes.at(-1)?.end ?? element.nameEnd;
  return replaceRange(text, insertAt, insertAt, ` ${tunnelAttributeName}="${value}"`, `Added ${tunnelAttributeName}="${value}" to the existing <${servicePointName}>.`);
}

function insertServicePoint(text: string, parent: XmlElement): TunnelEdit {
  const newElement = `<${servicePointName} ${tunnelAttributeName}="true" />`;
  const parentIndent = indentationOf(text, parent.start);
  const childIndent = childIndentation(text, parent, parentIndent ?? '');
  const eol = lineEndingAfter(text, parent.startTagEnd) ?? dominantLineEnding(text);
  if (parent.selfClosing) {
    // <x a="1" /> becomes <x a="1">, the new child line, </x>: the same element, now with a child.
    let slash = parent.startTagEnd - 2;
    while (slash > parent.nameEnd && /[ \t\r\n]/.test(text[slash - 1]!)) slash--;
    const replacement = `>${eol}${childIndent}${newElement}${eol}${parentIndent ?? ''}</${parent.name}>`;
    return replaceRange(text, slash, parent.startTagEnd, replacement, `Expanded the empty <${proxyConfigurationName} /> and added ${newElement} inside it.`);
  }
  const lineEnd = endOfLine(text, parent.startTagEnd);
  const rest = text.slice(parent.startTagEnd, lineEnd.contentEnd);
  if (/^[ \t]*$/.test(rest) && lineEnd.breakEnd > lineEnd.contentEnd) {
    return replaceRange(text, lineEnd.breakEnd, lineEnd.breakEnd, `${childIndent}${newElement}${eol}`, `Added ${newElement} on the line below <${proxyConfigurationName}>.`);
  }
  // Something follows the opening tag on the same line: insert right after it, still inside the element.
  return replaceRange(text, parent.startTagEnd, parent.startTagEnd, newElement, `Added ${newElement} directly after <${proxyConfigurationName}>.`);
}

/** The whitespace before the tag when the tag starts its line, otherwise undefined. */
function indentationOf(text: string, offset: number): string | undefined {
  const lineStart = startOfLine(text, offset);
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

function childIndentation(text: string, parent: XmlElement, parentIndent: string): string {
  for (const child of parent.children) {
    const indent = indentationOf(text, child.start);
    if (indent !== undefined && child.start > parent.startTagEnd) return indent;
  }
  const grandParentIndent = parent.parent ? indentationOf(text, parent.parent.start) : undefined;
  let unit = '  ';
  if (grandParentIndent !== undefined && parentIndent.startsWith(grandParentIndent) && parentIndent.length > grandParentIndent.length) {
    unit = parentIndent.slice(grandParentIndent.length);
  } else if (parentIndent.includes('\t')) unit = '\t';
  return parentIndent + unit;
}

function startOfLine(text: string, offset: number): number {
  let index = offset;
  while (index > 0 && text[index - 1] !== '\n' && text[index - 1] !== '\r') index--;
  return index;
}

function endOfLine(text: string, offset: number): {contentEnd: number; breakEnd: number} {
  let index = offset;
  while (index < text.length && text[index] !== '\n' && text[index] !== '\r') index++;
  if (text[index] === '\r' && text[index + 1] === '\n') return {contentEnd: index, breakEnd: index + 2};
  if (index < text.length) return {contentEnd: index, breakEnd: index + 1};
  return {contentEnd: index, breakEnd: index};
}

function lineEndingAfter(text: string, offset: number): string | undefined {
  const {contentEnd, breakEnd} = endOfLine(text, offset);
  return breakEnd > contentEnd ? text.slice(contentEnd, breakEnd) : undefined;
}

/** CRLF, LF or CR, whichever ends most lines (CRLF for a one-line file: this is a Windows file). */
export function dominantLineEnding(text: string): string {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  const cr = text.split('\r').length - 1 - crlf;
  if (lf > crlf && lf >= cr) return '\n';
  if (cr > crlf && cr > lf) return '\r';
  return '\r\n';
}

function replaceRange(text: string, start: number, end: number, replacement: string, summary: string): TunnelEdit {
  const next = text.slice(0, start) + replacement + text.slice(end);
  const firstLineStart = startOfLine(text, start);
  const oldEnd = endOfLine(text, Math.max(end, start)).contentEnd;
  const newEnd = endOfLine(next, start + replacement.length).contentEnd;
  return {
    text: next,
    changed: true,
    summary,
    line: lineAndColumn(text, firstLineStart).line,
    before: splitLines(text.slice(firstLineStart, oldEnd)),
    after: splitLines(next.slice(firstLineStart, newEnd)),
  };
}

function unchanged(text: string, offset: number, summary: string): TunnelEdit {
  const lineStart = startOfLine(text, offset);
  const line = text.slice(lineStart, endOfLine(text, offset).contentEnd);
  return {text, changed: false, summary, line: lineAndColumn(text, lineStart).line, before: [line], after: [line]};
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}
