import {knownSecrets, maskText, rememberTypedSecret, typedSecrets} from './secret-registry.js';

/** What the console ran this session, secrets already masked; the support bundle attaches it. */
export interface CommandRecord {
  file: string;
  args: string[];
  startedAt: string;
  durationMs: number;
  exitCode: number | null;
  outcome: 'ok' | 'failed' | 'timeout' | 'missing-program' | 'error';
}

const records: CommandRecord[] = [];

export function recordCommand(record: CommandRecord): void {
  records.push({...record, file: maskText(record.file), args: record.args.map(argument => maskText(argument))});
}

export function sessionRecord(): readonly CommandRecord[] {
  return records;
}

/** Every value the admin typed into a password field this session; never printed, used for masking and leak checks. */
export function rememberSecret(value: string): void {
  rememberTypedSecret(value);
}

/** Values typed into password fields (never passed on a command line). */
export function sessionSecrets(): readonly string[] {
  return typedSecrets();
}

export const secretMarker = '***';

/** Masks the given values, or every secret this session knows (typed or learned from files). */
export function maskSecrets(text: string, secrets: readonly string[] = knownSecrets().map(secret => secret.value)): string {
  return maskText(text, secretMarker, secrets);
}
