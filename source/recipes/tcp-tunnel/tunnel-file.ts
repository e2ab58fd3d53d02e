import {join} from 'node:path';
import {OperationalError} from '../../errors.js';
import {readTextFile, type TextDocument, type TextLine} from '../../system/text-document.js';
import {disableTunnel, enableTunnel, readTunnelState, type TunnelEdit, type TunnelState} from './tunnel-edit.js';

/** Where the knowledge base says the file is, relative to the data root. */
export function gatewayConfigPath(root: string): string {
  return join(root, 'Configuration', 'Gateway Role.config');
}

export type TunnelMode = 'enable' | 'disable';

/** The decoded text of a document (BOM excluded), exactly as its lines hold it. */
export function documentText(document: TextDocument): string {
  return document.lines.map(line => line.text + line.ending).join('');
}

/**
 * The document with new text: lines equal to the old ones at the start and the end are reused with
 * their original bytes; only the lines in between are re-encoded. Together with the single-spot
 * edit this keeps every untouched byte identical.
 */
export function documentWithText(document: TextDocument, text: string): TextDocument {
  const next = splitLines(text);
  const old = document.lines;
  const same = (a: TextLine, b: TextLine) => a.text === b.text && a.ending === b.ending;
  let prefix = 0;
  while (prefix < old.length && prefix < next.length && same(old[prefix]!, next[prefix]!)) prefix++;
  let suffix = 0;
  while (suffix < old.length - prefix && suffix < next.length - prefix && same(old[old.length - 1 - suffix]!, next[next.length - 1 - suffix]!)) suffix++;
  const lines = [...old.slice(0, prefix), ...next.slice(prefix, next.length - suffix), ...old.slice(old.length - suffix)];
  return {...document, lines};
}

/** Lines as text-document.ts splits them: at LF, a CR directly before it is part of the ending. */
function splitLines(text: string): TextLine[] {
  const lines: TextLine[] = [];
  let start = 0;
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', start)) {
    const crlf = index > start && text[index - 1] === '\r';
    lines.push({text: text.slice(start, crlf ? index - 1 : index), ending: crlf ? '\r\n' : '\n'});
    start = index + 1;
  }
  if (start < text.length) lines.push({text: text.slice(start), ending: ''});
  return lines;
}

export interface TunnelFile {
  path: string;
  document: TextDocument;
  state: TunnelState;
}

/** Reads and checks the file (TextFileError / TunnelConfigError when it cannot be used). */
export async function readTunnelFile(path: string): Promise<TunnelFile> {
  const document = await readTextFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new TunnelFileMissingError(path);
    throw error;
  });
  return {path, document, state: readTunnelState(documentText(document))};
}

export class TunnelFileMissingError extends OperationalError {
  override name = 'TunnelFileMissingError';
  constructor(readonly path: string) {
    super(`${path} does not exist. Is the gateway role installed here, or does --root point at the right data folder?`);
  }
}

export interface TunnelPlan {
  mode: TunnelMode;
  path: string;
  document: TextDocument;
  edit: TunnelEdit;
  /** The document to save (equal to `document` when nothing changes). */
  next: TextDocument;
}

export function planFromDocument(mode: TunnelMode, path: string, document: TextDocument): TunnelPlan {
  const text = documentText(document);
  const edit = mode === 'enable' ? enableTunnel(text) : disableTunnel(text);
  return {mode, path, document, edit, next: edit.changed ? documentWithText(document, edit.text) : document};
}

export async function planTunnelChange(mode: TunnelMode, path: string): Promise<TunnelPlan> {
  const {document} = await readTunnelFile(path);
  return planFromDocument(mode, path, document);
}

/** Two plans make the same change at the same spot (the file may have been rewritten meanwhile). */
export function sameChange(a: TunnelPlan, b: TunnelPlan): boolean {
  return a.mode === b.mode && a.edit.changed === b.edit.changed && a.edit.line === b.edit.line && a.edit.summary === b.edit.summary && a.edit.before.join('\n') === b.edit.before.join('\n') && a.edit.after.join('\n') === b.edit.after.join('\n');
}
