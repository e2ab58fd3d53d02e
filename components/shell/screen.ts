import type React from 'react';
import type {ConsoleContext} from '../../source/context.js';
import type {KeyHelp} from './HelpOverlay.js';

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
