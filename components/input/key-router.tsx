import React, {createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState} from 'react';
import {useApp, useInput, useStdin} from 'ink';
import {isChar, isCtrlC, splitKeys, type Key} from '../../source/input/keys.js';
import {KeyStdin} from './key-stdin.js';
import {ShownKeysStore, type KeyHelpEntry, type ShownKeys} from './shown-keys.js';

export type KeyHandler = (key: Key) => void;

interface Registration {
  handler: {current: KeyHandler};
  /** A text field has the focus: '?' and 'q' are text, not help and quit. */
  capturesText: {current: boolean};
  /** Keys wait (e.g. while the next screen's code loads) until the handlers change. */
  holds?: boolean;
}

interface Router {
  register(registration: Registration): () => void;
}

const RouterContext = createContext<Router | undefined>(undefined);

export type {KeyHelpEntry, ShownKeys};

/** Where key tables are published for the footer and the help. Provided by KeyRouter. */
export const KeyTableContext = createContext<ShownKeysStore | undefined>(undefined);

/** The store of published key tables (the footer reads the newest when Ink draws). */
export function useShownKeysStore(): ShownKeysStore | undefined {
  return useContext(KeyTableContext);
}

/** True below a screen that stays mounted behind an overlay (help): its handlers get no keys meanwhile. */
const KeysSuspendedContext = createContext(false);

export function SuspendKeys({suspended, children}: {suspended: boolean; children: React.ReactNode}) {
  return <KeysSuspendedContext.Provider value={suspended}>{children}</KeysSuspendedContext.Provider>;
}

export interface KeyRouterProps {
  children: React.ReactNode;
  /** Called for '?' when the focused handler does not capture text, with the keys shown now. */
  onHelp?: (shown: KeyHelpEntry[] | undefined) => void;
  /** Ctrl-C anywhere; without it the app exits. */
  onCtrlC?: () => void;
  /** 'q' when the focused handler does not capture text (the same safe way out as Ctrl-C). */
  onQuit?: () => void;
}

/**
 * Hands each key to the most recently registered handler. Keys come from the KeyStdin that the
 * console gives Ink as stdin, one at a time: after a key has been handled, the router renders once
 * more and, when that render is committed (its effect runs), asks the KeyStdin for the next key.
 * So the next key of a burst reaches whatever screen or field the previous key left on top.
 * Only Ink's public useInput is used; Ink still manages raw mode.
 */
export function KeyRouter({children, onHelp, onCtrlC, onQuit}: KeyRouterProps) {
  const {exit} = useApp();
  const {stdin} = useStdin();
  const keyStdin = stdin instanceof KeyStdin ? stdin : undefined;
  const stack = useRef<Registration[]>([]);
  // Published key tables: the footer and the help show the newest.
  const [store] = useState(() => new ShownKeysStore());
  const callbacks = useRef({onHelp, onCtrlC, onQuit, exit});
  useLayoutEffect(() => {
    callbacks.current = {onHelp, onCtrlC, onQuit, exit};
  });

  const dispatch = useCallback((key: Key) => {
    const {onHelp: help, onCtrlC: ctrlC, onQuit: quit, exit: leave} = callbacks.current;
    if (isCtrlC(key)) {
      if (ctrlC) ctrlC();
      else leave();
      return;
    }
    const top = stack.current.at(-1);
    if (!top || top.holds) return;
    if (!top.capturesText.current && isChar(key, '?') && help) help(store.current()?.entries);
    else if (!top.capturesText.current && isChar(key, 'q') && quit) quit();
    else top.handler.current(key);
  }, [store]);

  // After a key: one more render of the router; its effect runs once the render that holds the
  // handler's updates is committed, and lets the next key in.
  const [handled, setHandled] = useState(0);
  const awaitingCommit = useRef(false);
  useEffect(() => {
    if (!awaitingCommit.current) return;
    awaitingCommit.current = false;
    keyStdin?.next();
  }, [handled, keyStdin]);

  const onInput = useCallback(
    (input: string) => {
      const key = keyStdin?.currentKey();
      // Without the console's stdin (a bare Ink render) the chunk is split here, all keys at once.
      for (const each of key ? [key] : splitKeys(input)) dispatch(each);
      if (keyStdin) {
        awaitingCommit.current = true;
        setHandled(count => count + 1);
      }
    },
    [dispatch, keyStdin],
  );
  useInput(onInput);

  const router = useMemo<Router>(() => {
    const updateGate = () => {
      const top = stack.current.at(-1);
      keyStdin?.setOpen(top !== undefined && !top.holds);
    };
    return {
      register(registration) {
        stack.current.push(registration);
        updateGate();
        return () => {
          stack.current = stack.current.filter(entry => entry !== registration);
          updateGate();
        };
      },
    };
  }, [keyStdin]);
  return (
    <RouterContext.Provider value={router}>
      <KeyTableContext.Provider value={store}>{children}</KeyTableContext.Provider>
    </RouterContext.Provider>
  );
}

export interface UseKeysOptions {
  /** When false the handler gets nothing (e.g. a screen behind an overlay). */
  isActive?: boolean;
  /** A text field is focused: '?', 'q' and letters are typed, not commands. */
  capturesText?: boolean;
  /** Receive nothing but keep the keys for whoever comes next (a screen still loading). */
  holdKeys?: boolean;
}

/**
 * Receives keys one by one while this component is the most recently mounted active one.
 * The handler may change every render; the registration stays stable.
 */
export function useKeys(handler: KeyHandler, options: UseKeysOptions = {}): void {
  const router = useContext(RouterContext);
  const handlerRef = useRef(handler);
  const capturesText = useRef(options.capturesText ?? false);
  useLayoutEffect(() => {
    handlerRef.current = handler;
    capturesText.current = options.capturesText ?? false;
  });
  const suspended = useContext(KeysSuspendedContext);
  const isActive = (options.isActive ?? true) && !suspended;
  const holds = options.holdKeys ?? false;
  useLayoutEffect(() => {
    if (!router || !isActive) return;
    return router.register({handler: handlerRef, capturesText, holds});
  }, [router, isActive, holds]);
}
