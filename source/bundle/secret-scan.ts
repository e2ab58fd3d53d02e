import {OperationalError} from '../errors.js';
import {minimumHuntedLength, secretForms} from '../system/secret-registry.js';
import {encodingsOf} from '../system/text-codec.js';
import {redactionMarker, type KnownSecret} from './redaction.js';

/** One secret as bytes in one encoding and spelling: the bundle checks UTF-8, UTF-16 LE/BE and windows-1252. */
export interface SecretPattern {
  bytes: Buffer;
  marker: Buffer;
  secret: KnownSecret;
}

export {minimumHuntedLength as minimumHuntedSecretLength} from '../system/secret-registry.js';

const markers = new Map<string, Buffer[]>();

export function secretPatterns(secrets: readonly KnownSecret[]): SecretPattern[] {
  const patterns: SecretPattern[] = [];
  const seen = new Set<string>();
  for (const secret of secrets) {
    if (secret.value.length < minimumHuntedLength || seen.has(secret.value)) continue;
    seen.add(secret.value);
    for (const form of secretForms(secret.value)) {
      const encoded = encodingsOf(form);
      for (const bytes of encoded) {
        if (patterns.some(pattern => pattern.bytes.equals(bytes))) continue;
        patterns.push({bytes, marker: markerLike(bytes, form), secret});
      }
    }
  }
  return patterns.sort((a, b) => b.bytes.length - a.bytes.length);
}

/** The marker in the same encoding as the matched bytes. */
function markerLike(bytes: Buffer, form: string): Buffer {
  if (!markers.has('')) markers.set('', encodingsOf(redactionMarker));
  const [utf8, utf16le, utf16be] = markers.get('')!;
  if (bytes.equals(Buffer.from(form, 'utf16le'))) return utf16le!;
  if (bytes.equals(Buffer.from(form, 'utf16le').swap16())) return utf16be!;
  return utf8!;
}

/** The stop message: names the entry and where the secret came from, never the value. */
export class SecretLeakError extends OperationalError {
  override name = 'SecretLeakError';
  constructor(readonly entryPath: string, readonly secret: KnownSecret) {
    super(`Stopped before writing: ${entryPath} would contain a known secret (the value of ${secret.origin}). Nothing was written; skip that file or item and try again.`);
  }
}

export function findSecret(bytes: Buffer, patterns: readonly SecretPattern[]): KnownSecret | undefined {
  for (const pattern of patterns) if (bytes.includes(pattern.bytes)) return pattern.secret;
  return undefined;
}

function earliestMatch(buffer: Buffer, from: number, patterns: readonly SecretPattern[]): {index: number; pattern: SecretPattern} | undefined {
  let best: {index: number; pattern: SecretPattern} | undefined;
  for (const pattern of patterns) {
    const index = buffer.indexOf(pattern.bytes, from);
    if (index >= 0 && (!best || index < best.index)) best = {index, pattern};
  }
  return best;
}

/**
 * Masks secret values in a stream of bytes, matches across chunk borders included: it holds back
 * the last (longest pattern - 1) bytes until the next chunk shows whether a secret starts there.
 */
export class StreamMasker {
  private carry = Buffer.alloc(0);
  private readonly keep: number;
  count = 0;
  constructor(private readonly patterns: readonly SecretPattern[]) {
    this.keep = Math.max(0, ...patterns.map(pattern => pattern.bytes.length - 1));
  }

  push(chunk: Buffer): Buffer {
    return this.process(this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk, false);
  }

  flush(): Buffer {
    return this.process(this.carry, true);
  }

  private process(buffer: Buffer, final: boolean): Buffer {
    if (this.patterns.length === 0) {
      this.carry = Buffer.alloc(0);
      return buffer;
    }
    const safeLimit = final ? buffer.length : Math.max(0, buffer.length - this.keep);
    const pieces: Buffer[] = [];
    let position = 0;
    for (;;) {
      const match = earliestMatch(buffer, position, this.patterns);
      if (!match || match.index >= safeLimit) break;
      pieces.push(buffer.subarray(position, match.index), match.pattern.marker);
      position = match.index + match.pattern.bytes.length;
      this.count++;
    }
    const emitEnd = Math.max(position, safeLimit);
    pieces.push(buffer.subarray(position, emitEnd));
    this.carry = Buffer.from(buffer.subarray(emitEnd));
    return Buffer.concat(pieces);
  }
}

/** The final check on bytes about to be stored, across chunk borders. */
export class LeakScanner {
  private tail = Buffer.alloc(0);
  private readonly keep: number;
  constructor(private readonly patterns: readonly SecretPattern[], private readonly entryPath: string) {
    this.keep = Math.max(0, ...patterns.map(pattern => pattern.bytes.length - 1));
  }

  /** Throws SecretLeakError when a secret would be stored. */
  check(chunk: Buffer): void {
    if (this.patterns.length === 0) return;
    const window = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    const secret = findSecret(window, this.patterns);
    if (secret) throw new SecretLeakError(this.entryPath, secret);
    this.tail = Buffer.from(window.subarray(Math.max(0, window.length - this.keep)));
  }
}
