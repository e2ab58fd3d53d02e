import {useContext, useInsertionEffect, useRef} from 'react';
import type {Key} from '../../source/input/keys.js';
import {KeyTableContext, useKeys, type KeyHelpEntry, type UseKeysOptions} from './key-router.js';

/** One key of a screen: how it is written, what it does, which key presses it takes, what it runs. */
export interface KeyBinding {
  /** As the admin reads it: 'Enter', 's/Space', 'Up/Down'. */
  keys: string;
  /** What it does, a few words: 'skip / include'. */
  does: string;
  matches: (key: Key) => boolean;
  run: (key: Key) => void;
  /** false while the key does nothing here (then it is in neither the footer nor the help). */
  when?: boolean;
  /** Only in the '?' help, not on the footer line (rarely needed keys). */
  helpOnly?: boolean;
}

export type {KeyHelpEntry};

export type KeyTable = readonly KeyBinding[];

/**
 * One table drives a screen's keys, its footer line and its '?' help, so they cannot drift apart:
 * a key press runs the first usable binding that matches; the usable bindings are what the shell shows.
 * Returns nothing; keys that match no binding go to onOtherKey.
 */
export function useKeyTable(table: KeyTable, options: UseKeysOptions & {onOtherKey?: (key: Key) => void} = {}): void {
  const usable = table.filter(binding => binding.when !== false);
  useKeys(key => {
    const binding = usable.find(candidate => candidate.matches(key));
    if (binding) binding.run(key);
    else options.onOtherKey?.(key);
  }, options);
  const store = useContext(KeyTableContext);
  const entries = usable.map(binding => ({keys: binding.keys, does: binding.does, footer: !binding.helpOnly}));
  const capturesText = options.capturesText ?? false;
  const signature = JSON.stringify(entries);
  const id = useRef(Symbol('key table'));
  const active = options.isActive ?? true;
  // Published while React commits, before Ink draws the frame (layout effects run after it is drawn):
  // the footer of the very frame that shows this screen names its keys. Nothing is set here, only stored.
  useInsertionEffect(() => {
    if (!store || !active) return;
    const key = id.current;
    store.publish(key, {entries: JSON.parse(signature) as KeyHelpEntry[], capturesText});
    return () => store.withdraw(key);
  }, [store, signature, active, capturesText]);
}
