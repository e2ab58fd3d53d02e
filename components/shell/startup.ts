import type {ConsoleContext} from '../../source/context.js';
import type {ScreenComponent} from './screen.js';

/**
 * A screen that must come before the main menu (e.g. "logging is still on" after a crash),
 * or undefined. Capabilities add their checks here.
 */
export async function startupScreen(context: ConsoleContext): Promise<{label: string; Component: ScreenComponent} | undefined> {
  // Only the small journal reader is loaded here; the recovery screen itself only when needed.
  const [{readJournal}, {needsRecovery}] = await Promise.all([import('../../source/logflow/journal.js'), import('../../source/logflow/status.js')]);
  const journal = await readJournal(context.stateDir).catch(() => undefined);
  if (!needsRecovery(journal)) return undefined;
  const {RecoveryScreen} = await import('../logflow/RecoveryScreen.js');
  return {label: 'Troubleshooting logs: logging is still ON', Component: RecoveryScreen};
}
