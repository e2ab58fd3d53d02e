/**
 * The proxy lines of a CYREN .conf file: `Key = value`, shipped commented out as `#Key = value`.
 * Keys match case-insensitively; a line keeps its own spelling and spacing when it is edited.
 */

/** In the order the knowledge base's block lists them (also the order missing keys are added in). */
export const proxyKeys = ['ProxyPort', 'ProxyServerAddress', 'ProxyAuth', 'ProxyUserName', 'ProxyPassword', 'ProxyAccess'] as const;
export type ProxyKey = (typeof proxyKeys)[number];

export interface ProxyLine {
  /** Canonical key name. */
  key: ProxyKey;
  /** The key as the file spells it. */
  spelling: string;
  commented: boolean;
  indent: string;
  /** `#` plus any blanks after it ('' when active). */
  hash: string;
  /** Blanks around '='. */
  beforeEquals: string;
  afterEquals: string;
  value: string;
  /** Blanks after the value. */
  trailing: string;
}

const linePattern = /^([ \t]*)(#[ \t]*)?(proxyport|proxyserveraddress|proxyauth|proxyusername|proxypassword|proxyaccess)([ \t]*)=([ \t]*)(.*?)([ \t]*)$/i;

export function parseProxyLine(text: string): ProxyLine | undefined {
  const match = linePattern.exec(text);
  if (!match) return undefined;
  const spelling = match[3]!;
  const key = proxyKeys.find(candidate => candidate.toLowerCase() === spelling.toLowerCase())!;
  return {key, spelling, commented: match[2] !== undefined, indent: match[1]!, hash: match[2] ?? '', beforeEquals: match[4]!, afterEquals: match[5]!, value: match[6]!, trailing: match[7]!};
}

export function formatProxyLine(line: ProxyLine): string {
  return `${line.indent}${line.commented ? line.hash || '#' : ''}${line.spelling}${line.beforeEquals}=${line.afterEquals}${line.value}${line.trailing}`;
}

/**
 * The same line, active, with a new value. A line that has a value keeps its spelling, indentation
 * and spacing; a line shipped without one (`#ProxyPort =`, as the vendor's ctasd.conf has them) gets
 * the knowledge base's form `Key = value`, not `Key =value`.
 */
export function activeWithValue(line: ProxyLine, value: string): string {
  const spacing = line.value.length === 0 ? {beforeEquals: ' ', afterEquals: ' ', trailing: ''} : {};
  return formatProxyLine({...line, ...spacing, commented: false, hash: '', value});
}

/** The same line commented out the way NoSpamProxy ships it (`#Key = value`), value kept. */
export function commentedOut(line: ProxyLine): string {
  return formatProxyLine({...line, commented: true, hash: '#'});
}

export const passwordMask = '********';

/** A line as it may be shown: the value of a ProxyPassword line (active or not) is masked. */
export function maskProxyLine(text: string): string {
  const line = parseProxyLine(text);
  if (!line || line.key !== 'ProxyPassword' || line.value.length === 0) return text;
  return formatProxyLine({...line, value: passwordMask, trailing: ''});
}

/** The first lines of the shipped comment block ("If you connect to the Internet through a proxy server…"). */
export function isProxyCommentIntro(text: string): boolean {
  return /^\s*#.*\bproxy server\b/i.test(text);
}

/** `[Name]` section header: the name, else undefined. */
export function sectionName(text: string): string | undefined {
  return /^\s*\[([^\]]*)\]\s*$/.exec(text)?.[1]?.trim();
}

/** An active `Key = value` / `Key=value` line (not a comment, not a section). */
export function isKeyLine(text: string): boolean {
  return /^\s*[^#;\s[][^=]*=/.test(text);
}
