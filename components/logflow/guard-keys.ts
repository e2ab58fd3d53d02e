import {isChar} from '../../source/input/keys.js';
import type {KeyBinding, KeyTable} from '../input/key-table.js';

/**
 * The keys while a guarded action asks: only y does it, any other key keeps things as they are
 * (the same for every question of the flow: abort, leave logging on, remove a role).
 */
export function questionKeys(yes: string, no: string, onYes: () => void, onNo: () => void): KeyTable {
  return [
    {keys: 'y', does: yes, matches: key => isChar(key, 'y'), run: onYes},
    {keys: 'any other key', does: no, matches: () => true, run: onNo},
  ];
}

/** Esc while logging is on never leaves: it only shows how to (the hint). */
export function escWhileOn(show: () => void): KeyBinding {
  return {keys: 'Esc', does: 'does not leave while logging is on (a aborts)', matches: key => key.name === 'escape', run: show, helpOnly: true};
}
