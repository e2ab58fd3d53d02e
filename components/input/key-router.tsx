import React, {createContext, useCallback, useContext, useLayoutEffect, useMemo, useRef, useState} from 'react';
import {useApp, useInput} from 'ink';
import {isChar, isCtrlC, splitKeys, type Key} from '../../source/input/keys.js';

export type KeyHandler = (key: Key) => void;

interface Registration {
  handler: {current: KeyHandler};
  /** A text field has the focus: '?' is text, not help. */
  capturesText: {current: boolean};
  /** Keys wait in the queue (e.g. while the next screen's code loads) until the handlers change. */
  holds?: boolean;
}

interface Router {
  register(registration: Registration): () => void;
}

const RouterContext = createContext<Router | undefined>(undefined);

/** True below a screen that stays mounted behind an overlay (help): its handlers get no keys meanwhile. */
const KeysSuspendedContext = createContext(false);

export function SuspendKeys({suspended, children}: {suspended: boolean; children: React.ReactNode}) {
  return <KeysSuspendedContext.Provider value={suspended}>{children}</KeysSuspendedContext.Provider>;
}

export interface KeyRouterProps {
  children: React.ReactNode;
  /** Called for '?' when the focused handler does not capture text. */
  onHelp?: () => void;
  onCtrlC?: () => void;
}

/**
 * The one input dispatcher: Ink delivers text bursts ("jj\r") as one event. They are split into
 * keys and applied one at a time, outside React's batch, so each key renders before the next
 * and reaches the screen that is on top by then.
 */
export function KeyRouter({children, onHelp, onCtrlC}: KeyRouterProps) {
  const {exit} = useApp();
  const stack = useRef<Registration[]>([]);
  const queue = useRef<Key[]>([]);
  const draining = useRef(false);
  const helpRef = useRef(onHelp);
  helpRef.current = onHelp;
  const ctrlCRef = useRef(onCtrlC);
  ctrlCRef.current = onCtrlC;

  // One key at a time, each after the previous key's render has been committed: a burst
  // ("jj\r", Esc then more keys) must reach the screen and field that the previous key left
  // on top. After a key, a tick of the router's own state is scheduled behind the handler's
  // updates; its layout effect (after the commit that holds them all) releases the next key.
  const [tick, setTick] = useState(0);
  const awaitingCommit = useRef(false);
  const drain = useCallback(() => {
    const key = queue.current.shift();
    if (!key) {
      draining.current = false;
      return;
    }
    if (isCtrlC(key)) {
      queue.current = [];
      draining.current = false;
      if (ctrlCRef.current) ctrlCRef.current();
      else exit();
      return;
    }
    const top = stack.current.at(-1);
    if (!top || top.holds) {
      // Kept, not dropped (nobody listens yet, e.g. a screen still reading its data, or a holder):
      // released when a handler registers or the holder goes (see register).
      queue.current.unshift(key);
      draining.current = false;
      return;
    }
    try {
      if (isChar(key, '?') && !top?.capturesText.current && helpRef.current) helpRef.current();
      else top?.handler.current(key);
    } finally {
      awaitingCommit.current = true;
      setTick(current => current + 1);
    }
  }, [exit]);
  useLayoutEffect(() => {
    if (!awaitingCommit.current) return;
    awaitingCommit.current = false;
    // Outside the commit phase, so a long paste does not nest updates.
    setImmediate(drain);
  }, [tick, drain]);

  useInput(
    (_input, _key) => {
      /* Handled through the raw event below; useInput is kept for raw mode management. */
    },
  );
  const {internal_eventEmitter} = useStdinEmitter();
  useLayoutEffect(() => {
    const onInput = (chunk: string) => {
      queue.current.push(...splitKeys(chunk));
      if (!draining.current) {
        draining.current = true;
        setImmediate(drain);
      }
    };
    internal_eventEmitter?.on('input', onInput);
    return () => {
      internal_eventEmitter?.removeListener('input', onInput);
    };
  }, [internal_eventEmitter, drain]);

  const router = useMemo<Router>(() => {
    // Held keys go on once the handlers have changed (after the commit that changed them).
    const resume = () => {
      if (queue.current.length === 0 || draining.current) return;
      draining.current = true;
      setImmediate(drain);
    };
    return {
      register(registration) {
        stack.current.push(registration);
        resume();
        return () => {
          stack.current = stack.current.filter(entry => entry !== registration);
          resume();
        };
      },
    };
  }, [drain]);
  return <RouterContext.Provider value={router}>{children}</RouterContext.Provider>;
}

import {useStdin} from 'ink';
function useStdinEmitter(): {internal_eventEmitter?: NodeJS.EventEmitter} {
  return useStdin() as unknown as {internal_eventEmitter?: NodeJS.EventEmitter};
}

export interface UseKeysOptions {
  /** When false the handler gets nothing (e.g. a screen behind an overlay). */
  isActive?: boolean;
  /** A text field is focused: '?' and letters are typed, not commands. */
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
