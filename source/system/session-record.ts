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
const knownSecrets = new Set<string>();

export function recordCommand(record: CommandRecord): void {
  records.push(record);
}

export function sessionRecord(): readonly CommandRecord[] {
  return records;
}

/** Every value the admin typed into a password field this session; never printed, used for masking and leak checks. */
export function rememberSecret(value: string): void {
  if (value.length > 0) knownSecrets.add(value);
}

export function sessionSecrets(): readonly string[] {
  return [...knownSecrets];
}

export const secretMarker = '***';

export function maskSecrets(text: string, secrets: readonly string[] = sessionSecrets()): string {
  let masked = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) masked = masked.split(secret).join(secretMarker);
  }
  return masked;
}
