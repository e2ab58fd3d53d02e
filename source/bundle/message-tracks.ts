import {readFile, stat} from 'node:fs/promises';
import {basename} from 'node:path';
import {maskText} from '../system/secret-registry.js';

/** Larger exports are not parsed (memory); the GUI's exports are a few KB to a few MB. */
export const maxCheckedTrackBytes = 64 * 1024 * 1024;

export interface TrackCheck {
  ok: boolean;
  /** One line for the checklist: id, status, direction, time, sender -> recipient, subject; or the problem. */
  summary: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function field(record: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const found = Object.keys(record).find(key => key.toLowerCase() === name.toLowerCase());
    if (found && text(record[found]) !== undefined) return text(record[found]);
  }
  return undefined;
}

function addresses(record: Record<string, unknown>, type: string): string[] {
  const list = record.Addresses ?? record.addresses;
  if (!Array.isArray(list)) return [];
  return list
    .filter((item): item is Record<string, unknown> => !!item && typeof item === 'object')
    .filter(item => (field(item, 'AddressType', 'Type') ?? '').toLowerCase() === type.toLowerCase())
    .map(item => field(item, 'Address') ?? '')
    .filter(address => address.length > 0);
}

/** The schema of the GUI export is not public (domain facts §4): summarise what the known fields give. */
export function summariseTrack(value: unknown): string {
  const tracks = Array.isArray(value) ? value : [value];
  const first = tracks.find((item): item is Record<string, unknown> => !!item && typeof item === 'object' && !Array.isArray(item));
  if (!first) return 'valid JSON, but no message track object in it';
  const parts = [
    field(first, 'Id', 'MailId', 'MessageId'),
    field(first, 'Status'),
    field(first, 'Direction'),
    field(first, 'Sent', 'Received', 'Time'),
  ].filter((part): part is string => part !== undefined);
  const from = addresses(first, 'Sender')[0];
  const to = addresses(first, 'Recipient');
  if (from || to.length > 0) parts.push(`${from ?? '?'} -> ${to[0] ?? '?'}${to.length > 1 ? ` (+${to.length - 1})` : ''}`);
  const subject = field(first, 'Subject');
  // Masked before it is cut: half a secret is still a secret.
  const shownSubject = subject ? maskText(subject) : subject;
  if (shownSubject) parts.push(`"${shownSubject.length > 40 ? `${shownSubject.slice(0, 39)}~` : shownSubject}"`);
  const prefix = tracks.length > 1 ? `${tracks.length} tracks, first: ` : '';
  return `${prefix}${parts.join(' ') || 'message track'}`;
}

export async function checkMessageTrack(path: string): Promise<TrackCheck> {
  const name = basename(path);
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    return {ok: false, summary: `${name}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`};
  }
  if (!info.isFile()) return {ok: false, summary: `${name}: not a regular file`};
  if (info.size > maxCheckedTrackBytes) return {ok: false, summary: `${name}: larger than ${maxCheckedTrackBytes / 1024 / 1024} MB, not checked`};
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return {ok: false, summary: `${name}: cannot be read (${(error as Error).message})`};
  }
  const textContent = bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2).toString('utf16le') : bytes.toString('utf8').replace(/^\uFEFF/, '');
  try {
    return {ok: true, summary: `${name}: ${summariseTrack(JSON.parse(textContent))}`};
  } catch (error) {
    return {ok: false, summary: `${name}: not valid JSON (${(error as Error).message.split('\n')[0]})`};
  }
}
