import type {ConsoleContext} from '../../source/context.js';
import type {ScreenComponent} from '../screen-types.js';

/**
 * A screen that must come before the main menu (e.g. "logging is still on" after a crash),
 * or undefined. Capabilities add their checks here.
 */
export async function startupScreen(context: ConsoleContext): Promise<{label: string; Component: ScreenComponent} | undefined> {
  // Only the small journal reader is loaded here; the recovery screen itself only when needed.
  const [{readJournal}, {needsRecovery}] = await Promise.all([import('../../source/logflow/journal.js'), import('../../source/logflow/status.js')]);
  let damaged = false;
  const journal = await readJournal(context.stateDir).catch(() => {
    damaged = true;
    return undefined;
  });
  // A damaged journal may hide logging that is on: the recovery screen shows the problem.
  if (!damaged && !needsRecovery(journal, context.stateDir)) return undefined;
  const {RecoveryScreen} = await import('../logflow/RecoveryScreen.js');
  // A neutral title: the screen says the state itself, and it changes once an action is chosen.
  const label = damaged ? 'Troubleshooting logs: the journal is damaged' : 'Troubleshooting logs: recovery';
  return {label, Component: RecoveryScreen};
}
