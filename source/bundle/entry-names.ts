import {basename, extname} from 'node:path';
import {maskText} from '../system/secret-registry.js';

/** Longest path inside the bundle (Windows Explorer extracts below a folder of its own; MAX_PATH is 260). */
export const maxEntryPathLength = 150;
/** What a secret in a file name becomes (ASCII, allowed in Windows names). */
export const nameSecretMarker = 'REDACTED';

const reservedNames = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$)(\..*)?$/i;

/** One path segment Windows can create: plain printable ASCII, no `<>:"/\|?*`, no reserved device name, no trailing dot or space. */
export function safeSegment(segment: string): string {
  let clean = segment
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/[<>:"/\\|?*]/g, '_')
    .trim()
    .replace(/[. ]+$/, '');
  if (clean === '' || clean === '.' || clean === '..') clean = '_';
  if (reservedNames.test(clean)) clean = `_${clean}`;
  return clean;
}

/** A relative ZIP path of safe segments ("", ".", ".." and drive letters dropped). */
export function safeEntryName(name: string): string {
  const parts = name
    .replace(/\\/g, '/')
    .split('/')
    .filter(part => part !== '' && part !== '.' && part !== '..' && !/^[A-Za-z]:$/.test(part))
    .map(safeSegment);
  return parts.length > 0 ? parts.join('/') : 'unnamed';
}

/** Why a name cannot go into a bundle (undefined when it can): the writer's last check. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.length === 0 || name.length > maxEntryPathLength) return `longer than ${maxEntryPathLength} characters`;
  if (!/^[\x20-\x7e]+$/.test(name)) return 'not plain ASCII';
  if (name.startsWith('/') || name.includes('\\')) return 'not a relative path with forward slashes';
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') return 'an empty, "." or ".." segment';
    if (safeSegment(segment) !== segment) return `"${segment}" is not a name Windows can create`;
  }
  return undefined;
}

/** Shortens a file name to `room` characters, keeping its extension. */
function shorten(fileName: string, room: number): string {
  if (fileName.length <= room) return fileName;
  const extension = extname(fileName).length <= 10 ? extname(fileName) : '';
  const stem = fileName.slice(0, fileName.length - extension.length);
  return `${stem.slice(0, Math.max(1, room - extension.length)).replace(/[. ]+$/, '') || '_'}${extension}`;
}

/** Plain, short entry file names: "Gateway Role.config" -> "Gateway-Role.config"; known secrets masked. */
export function entryFileName(name: string): string {
  return safeEntryName(maskText(basename(name.replace(/\\/g, '/')), nameSecretMarker)).replace(/\//g, '_').replace(/\s+/g, '-');
}

/** Keeps names unique inside the ZIP ("a.json", "a-2.json"; case-insensitive, as Windows is) and short. */
export class EntryNames {
  private readonly used = new Set<string>();

  /** A folder of safe segments plus a file name: masked, cleaned, shortened to fit, made unique. */
  take(folder: string, fileName: string): string {
    const safeFolder = folder ? safeEntryName(maskText(folder, nameSecretMarker)).split('/').map(segment => segment.slice(0, 40).replace(/[. ]+$/, '') || '_').join('/') : '';
    const prefix = safeFolder ? `${safeFolder}/` : '';
    const clean = shorten(entryFileName(fileName), maxEntryPathLength - prefix.length - 4);
    const extension = extname(clean);
    const stem = clean.slice(0, clean.length - extension.length) || 'file';
    for (let index = 1; ; index++) {
      const candidate = `${prefix}${index === 1 ? clean : `${stem}-${index}${extension}`}`;
      if (!this.used.has(candidate.toLowerCase())) {
        this.used.add(candidate.toLowerCase());
        return candidate;
      }
    }
  }

  /** Reserves a name exactly as given (description.txt, manifest.json). */
  reserve(name: string): void {
    this.used.add(name.toLowerCase());
  }
}
