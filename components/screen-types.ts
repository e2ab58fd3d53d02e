import type React from 'react';
import type {ConsoleContext} from '../source/context.js';

/**
 * Types every screen shares, in one module that imports no screen, so screens, the shell and the
 * help overlay can all depend on it without depending on each other.
 */

/** The keys of a screen as shown under '?': [keys, meaning]. */
export type KeyHelp = readonly (readonly [keys: string, meaning: string])[];

/** What every screen gets from the shell. */
export interface ScreenProps {
  context: ConsoleContext;
  /** Leave this screen (Esc). */
  back: () => void;
  /** Show the keys of this screen under '?'. */
  setKeyHelp: (keys: KeyHelp) => void;
  /** Leave the console (after the screen has made everything safe). */
  quit: () => void;
}

export type ScreenComponent = React.ComponentType<ScreenProps>;

/** What every recipe screen gets from the recipes menu. */
export interface RecipeScreenProps {
  context: ConsoleContext;
  onBack: () => void;
  setKeyHelp: (keys: KeyHelp) => void;
}
