import type {ConsoleContext} from '../../source/context.js';
import type {ScreenComponent} from './screen.js';

/**
 * A screen that must come before the main menu (e.g. "logging is still on" after a crash),
 * or undefined. Capabilities add their checks here.
 */
export async function startupScreen(_context: ConsoleContext): Promise<{label: string; Component: ScreenComponent} | undefined> {
  return undefined;
}
