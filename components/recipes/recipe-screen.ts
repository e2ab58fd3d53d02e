import type {ConsoleContext} from '../../source/context.js';
import type {KeyHelp} from '../shell/HelpOverlay.js';

/** What every recipe screen gets from the recipes menu (its own module, so screens do not import each other). */
export interface RecipeScreenProps {
  context: ConsoleContext;
  onBack: () => void;
  setKeyHelp: (keys: KeyHelp) => void;
}
