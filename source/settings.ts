import {mkdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {OperationalError} from './errors.js';
import {writeFileAtomic} from './system/atomic-write.js';
import {withLock} from './system/writer-lock.js';

/**
 * <state-dir>/settings.json. Each capability owns its own top-level keys ("roles", "keyservers",
 * "logflow", …) and validates them itself; unknown keys are kept untouched.
 */
export type Settings = {ascii?: boolean} & Record<string, unknown>;

export const settingsFileName = 'settings.json';

export function settingsPath(stateDir: string): string {
  return join(stateDir, settingsFileName);
}

export async function loadSettings(stateDir: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(settingsPath(stateDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new OperationalError(`Cannot read ${settingsPath(stateDir)}: ${(error as Error).message}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the top level must be a JSON object');
    return parsed as Settings;
  } catch (error) {
    throw new OperationalError(`${settingsPath(stateDir)} is not valid settings JSON (${(error as Error).message}); fix or remove it.`);
  }
}

/** settings.json.lock next to the file: two consoles of one account share the state dir. */
export function settingsLockPath(stateDir: string): string {
  return `${settingsPath(stateDir)}.lock`;
}

/** Saving settings takes milliseconds; a console waiting longer than this reports the holder. */
export const settingsLockWaitMs = 15_000;

/**
 * Read, change, write atomically, all under the settings lock: `change` gets the settings as they
 * are on disk now and changes only its own key, so two consoles saving different keys (roles,
 * directories, …) or adding to the same list keep each other's changes. Mode 600: settings may hold
 * a password the admin asked to store.
 */
export async function updateSettings(stateDir: string, change: (settings: Settings) => Settings | Promise<Settings>): Promise<Settings> {
  await mkdir(stateDir, {recursive: true});
  return withLock({path: settingsLockPath(stateDir), purpose: 'saving settings', waitMs: settingsLockWaitMs}, async () => {
    const next = await change(await loadSettings(stateDir));
    await writeFileAtomic(settingsPath(stateDir), `${JSON.stringify(next, null, 2)}\n`, 0o600);
    return next;
  });
}
