import {insertLines, replaceLine, unencodableCharacters, describeEncoding, type TextDocument} from '../system/text-document.js';
import {activeWithValue, commentedOut, formatProxyLine, isKeyLine, isProxyCommentIntro, maskProxyLine, parseProxyLine, proxyKeys, sectionName, type ProxyKey, type ProxyLine} from './proxy-lines.js';

/** What one file says about the proxy. */
export interface ProxyFileState {
  /** enabled: ProxyAccess = 1 with server and port active; disabled: no proxy line active. */
  status: 'enabled' | 'disabled' | 'partial' | 'no-proxy-lines';
  server?: string;
  port?: string;
  auth?: string;
  user?: string;
  access?: string;
  /** An active ProxyPassword line with a value; the value itself is never reported. */
  passwordSet: boolean;
  /** Every proxy line found, by key (line numbers are 1-based). */
  occurrences: Record<ProxyKey, {line: number; active: boolean}[]>;
  warnings: string[];
}

interface Occurrence {
  index: number;
  line: ProxyLine;
}

function findOccurrences(document: TextDocument): Record<ProxyKey, Occurrence[]> {
  const found = Object.fromEntries(proxyKeys.map(key => [key, [] as Occurrence[]])) as Record<ProxyKey, Occurrence[]>;
  document.lines.forEach((line, index) => {
    const parsed = parseProxyLine(line.text);
    if (parsed) found[parsed.key].push({index, line: parsed});
  });
  return found;
}

export function readProxyState(document: TextDocument): ProxyFileState {
  const found = findOccurrences(document);
  const warnings: string[] = [];
  const value = (key: ProxyKey): string | undefined => {
    const active = found[key].filter(occurrence => !occurrence.line.commented);
    if (active.length > 1) {
      const values = new Set(active.map(occurrence => occurrence.line.value));
      const lines = active.map(occurrence => occurrence.index + 1).join(', ');
      warnings.push(values.size > 1 && key !== 'ProxyPassword' ? `${key} is set ${active.length} times with different values (lines ${lines}); setting the proxy writes all of them.` : `${key} is set ${active.length} times (lines ${lines}).`);
    }
    return active[0]?.line.value;
  };
  const state = {
    server: value('ProxyServerAddress'),
    port: value('ProxyPort'),
    auth: value('ProxyAuth'),
    user: value('ProxyUserName'),
    access: value('ProxyAccess'),
  };
  const password = value('ProxyPassword');
  const anyLine = proxyKeys.some(key => found[key].length > 0);
  const anyActive = proxyKeys.some(key => found[key].some(occurrence => !occurrence.line.commented));
  let status: ProxyFileState['status'];
  if (!anyLine) status = 'no-proxy-lines';
  else if (!anyActive) status = 'disabled';
  else if (state.access === '1' && state.server && state.port) status = 'enabled';
  else {
    status = 'partial';
    const missing = [!state.server && 'ProxyServerAddress', !state.port && 'ProxyPort', state.access !== '1' && 'ProxyAccess = 1'].filter(Boolean);
    warnings.push(`Some proxy lines are active but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not; the proxy is probably not used.`);
  }
  if (status === 'enabled' && state.auth?.toLowerCase() === 'basic' && (!state.user || !password)) warnings.push('ProxyAuth is Basic but the user name or password line is not active.');
  const occurrences = Object.fromEntries(proxyKeys.map(key => [key, found[key].map(o => ({line: o.index + 1, active: !o.line.commented}))])) as ProxyFileState['occurrences'];
  return {status, ...state, passwordSet: password !== undefined && password.length > 0, occurrences, warnings};
}

/** The settings to write. `password` undefined with Basic keeps the file's active password. */
export interface ProxySettings {
  server: string;
  port: number;
  auth: 'NoAuth' | 'Basic';
  user?: string;
  password?: string;
}

export type ProxyChange = {kind: 'set'; settings: ProxySettings} | {kind: 'disable'};

export interface LineChange {
  /** 1-based line number in the new file. */
  line: number;
  kind: 'changed' | 'added';
  before?: string;
  after: string;
}

export interface EditResult {
  document: TextDocument;
  changes: LineChange[];
}

export class ProxyEditError extends Error {
  override name = 'ProxyEditError';
}

/**
 * Where missing keys go: after the last proxy line of the first proxy line's section; with no proxy
 * line, in [Connectivity] (where the vendor's ctasd.conf keeps them): under the shipped comment
 * block when that section has it, else after the section's last key. A file without sections (the
 * knowledge base's bare block) gets them under the comment block. A file with sections but no
 * [Connectivity] is refused: a proxy comment in [General] is not where ctasd reads the keys.
 */
function insertionPoint(document: TextDocument, found: Record<ProxyKey, Occurrence[]>): number | undefined {
  const texts = document.lines.map(line => line.text);
  const sectionEnd = (start: number) => {
    for (let index = start + 1; index < texts.length; index++) if (sectionName(texts[index]!) !== undefined) return index;
    return texts.length;
  };
  const afterCommentBlock = (intro: number, end: number) => {
    let next = intro + 1;
    while (next < end && /^\s*#/.test(texts[next]!)) next++;
    return next;
  };
  const all = proxyKeys.flatMap(key => found[key]).sort((a, b) => a.index - b.index);
  if (all.length > 0) {
    const end = sectionEnd(all[0]!.index);
    return all.filter(occurrence => occurrence.index < end).at(-1)!.index + 1;
  }
  const connectivity = texts.findIndex(text => sectionName(text)?.toLowerCase() === 'connectivity');
  if (connectivity >= 0) {
    const end = sectionEnd(connectivity);
    const intro = texts.findIndex((text, index) => index > connectivity && index < end && isProxyCommentIntro(text));
    if (intro >= 0) return afterCommentBlock(intro, end);
    let lastKey = connectivity;
    for (let index = connectivity + 1; index < end; index++) if (isKeyLine(texts[index]!)) lastKey = index;
    return lastKey + 1;
  }
  if (texts.some(text => sectionName(text) !== undefined)) return undefined;
  const intro = texts.findIndex(text => isProxyCommentIntro(text));
  if (intro < 0) return undefined;
  return afterCommentBlock(intro, texts.length);
}

/** An added line in the file's style: spacing and indentation of its own proxy lines (`Key = value` when they have no value, or there are none). */
function styledLine(found: Record<ProxyKey, Occurrence[]>, key: ProxyKey, value: string): string {
  const sample = proxyKeys.flatMap(name => found[name]).sort((a, b) => a.index - b.index)[0]?.line;
  const spaced = !sample || sample.value.length === 0;
  return formatProxyLine({
    key,
    spelling: key,
    commented: false,
    indent: sample?.indent ?? '',
    hash: '',
    beforeEquals: spaced ? ' ' : sample.beforeEquals,
    afterEquals: spaced ? ' ' : sample.afterEquals,
    value,
    trailing: '',
  });
}

/** The values the change writes; `null` = comment the key out (value kept). */
function wantedValues(change: ProxyChange, found: Record<ProxyKey, Occurrence[]>): Partial<Record<ProxyKey, string | null>> {
  if (change.kind === 'disable') return Object.fromEntries(proxyKeys.map(key => [key, null]));
  const {settings} = change;
  const wanted: Partial<Record<ProxyKey, string | null>> = {
    ProxyPort: String(settings.port),
    ProxyServerAddress: settings.server,
    ProxyAuth: settings.auth,
    ProxyAccess: '1',
  };
  if (settings.auth === 'Basic') {
    wanted.ProxyUserName = settings.user ?? '';
    const keep = found.ProxyPassword.find(occurrence => !occurrence.line.commented && occurrence.line.value.length > 0)?.line.value;
    const password = settings.password ?? keep;
    if (password === undefined) throw new ProxyEditError('No password given and the file has no active ProxyPassword line to keep.');
    wanted.ProxyPassword = password;
  } else {
    wanted.ProxyUserName = null;
    wanted.ProxyPassword = null;
  }
  return wanted;
}

/** Values the file's encoding cannot hold: refused before anything is written. */
export function encodingProblems(document: TextDocument, change: ProxyChange): string[] {
  if (change.kind === 'disable') return [];
  const {settings} = change;
  const fields: [string, string | undefined][] = [['server', settings.server], ['user name', settings.user], ['password', settings.password]];
  return fields.flatMap(([what, value]) => {
    const bad = value === undefined ? [] : unencodableCharacters(value, document.encoding);
    if (bad.length === 0) return [];
    const shown = what === 'password' ? 'some characters' : bad.map(char => `"${char}"`).join(' ');
    return [`The ${what} contains ${shown} that ${describeEncoding(document.encoding)} cannot hold.`];
  });
}

/**
 * Applies the change line by line: existing `#Key = …` / `Key = …` lines are un-commented or
 * replaced where they stand (all active duplicates alike); missing keys are added after the other
 * proxy lines or after the shipped comment block. Disabling comments active lines out, values kept.
 */
export function applyProxyChange(document: TextDocument, change: ProxyChange): EditResult {
  const problems = encodingProblems(document, change);
  if (problems.length > 0) throw new ProxyEditError(problems.join(' '));
  const found = findOccurrences(document);
  const wanted = wantedValues(change, found);
  let next = document;
  const changed = new Map<number, string>();
  const missing: [ProxyKey, string][] = [];
  for (const key of proxyKeys) {
    const value = wanted[key];
    if (value === undefined) continue;
    const occurrences = found[key];
    const active = occurrences.filter(occurrence => !occurrence.line.commented);
    if (value === null) {
      for (const occurrence of active) changed.set(occurrence.index, commentedOut(occurrence.line));
      continue;
    }
    const targets = active.length > 0 ? active : occurrences.slice(0, 1);
    if (targets.length === 0) missing.push([key, value]);
    for (const occurrence of targets) changed.set(occurrence.index, activeWithValue(occurrence.line, value));
  }
  for (const [index, text] of changed) next = replaceLine(next, index, text);
  let insertedAt: number | undefined;
  let inserted: string[] = [];
  if (missing.length > 0) {
    insertedAt = insertionPoint(document, found);
    if (insertedAt === undefined) {
      throw new ProxyEditError(
        `No proxy lines, no [Connectivity] section and no shipped proxy comment block in ${document.path}, so nsp-console does not guess where to add ${missing.map(([key]) => key).join(', ')}.`,
      );
    }
    inserted = missing.map(([key, value]) => styledLine(found, key, value));
    next = insertLines(next, insertedAt, inserted);
  }
  const changes: LineChange[] = [];
  for (const [index, after] of [...changed].sort((a, b) => a[0] - b[0])) {
    const before = document.lines[index]!.text;
    if (before === after) continue;
    const shift = insertedAt !== undefined && index >= insertedAt ? inserted.length : 0;
    changes.push({line: index + shift + 1, kind: 'changed', before, after});
  }
  inserted.forEach((after, offset) => changes.push({line: insertedAt! + offset + 1, kind: 'added', after}));
  changes.sort((a, b) => a.line - b.line);
  return {document: next, changes};
}

/** The diff of one file's proxy lines for the screen or terminal; passwords masked. */
export function formatChanges(changes: readonly LineChange[]): string[] {
  const out: string[] = [];
  for (const change of changes) {
    const number = String(change.line).padStart(4);
    if (change.before !== undefined) out.push(`${number} - ${maskProxyLine(change.before)}`);
    out.push(`${number} + ${maskProxyLine(change.after)}`);
  }
  return out;
}
