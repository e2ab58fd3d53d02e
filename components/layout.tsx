import React, {createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState} from 'react';
import {type DOMElement, measureElement, useStdout} from 'ink';

export interface Layout {
  rows: number;
  /**
   * Columns a line may use: one less than the terminal (older Windows consoles and Wine wrap as soon
   * as a line fills the last column, which would push the frame one row down).
   */
  columns: number;
  /** The terminal's own width. */
  terminalColumns: number;
  ascii: boolean;
  color: boolean;
  /** Lines a screen body may use: the terminal minus header and footer, so a frame never overflows. */
  bodyRows: number;
}

export const headerRows = 4;
export const footerRows = 1;

/** The layout budget for a terminal size: header, a blank line, the body, the footer. */
export function layoutFor(size: {rows: number; columns: number}, ascii: boolean, color: boolean): Layout {
  const rows = Math.max(1, size.rows);
  return {
    rows,
    terminalColumns: size.columns,
    columns: Math.max(1, size.columns - 1),
    ascii,
    color,
    // The frame is rows - 1 lines (the cursor rests on the last row): header, a blank line, body, footer.
    bodyRows: Math.max(3, rows - 1 - headerRows - 1 - footerRows),
  };
}

const LayoutContext = createContext<Layout>(layoutFor({rows: 24, columns: 80}, false, true));

export function useLayout(): Layout {
  return useContext(LayoutContext);
}

function terminalSize(stdout: NodeJS.WriteStream) {
  return {rows: stdout.rows || 24, columns: stdout.columns || 80};
}

/** Tracks the terminal size (resize events) and shares it with every screen. */
export function LayoutProvider({ascii, color, children}: {ascii: boolean; color: boolean; children: React.ReactNode}) {
  const {stdout} = useStdout();
  const [size, setSize] = useState(() => terminalSize(stdout));
  useEffect(() => {
    const onResize = () => setSize(terminalSize(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  const layout = layoutFor(size, ascii, color);
  return <LayoutContext.Provider value={layout}>{children}</LayoutContext.Provider>;
}

/** Box-drawing or ASCII glyphs, per the ASCII setting. */
export function glyphs(ascii: boolean) {
  return ascii
    ? {pointer: '>', up: '^', down: 'v', check: 'x', bullet: '*', ok: statusMark('ok', true), fail: statusMark('failed', true), ellipsis: '...', border: 'classic' as const}
    : {pointer: '❯', up: '↑', down: '↓', check: '✔', bullet: '•', ok: statusMark('ok', false), fail: statusMark('failed', false), ellipsis: '…', border: 'round' as const};
}

export type Status = 'ok' | 'failed' | 'warning' | 'running' | 'skipped' | 'unknown';

/**
 * The one status vocabulary of every screen: `[ok]` `[!!]` `[! ]` `[..]` `[--]` `[??]` in ASCII mode,
 * ✔ ✖ ! … – ? otherwise (colours come on top: green, red, yellow).
 */
export function statusMark(status: Status, ascii: boolean): string {
  const marks: Record<Status, [string, string]> = {ok: ['[ok]', '✔'], failed: ['[!!]', '✖'], warning: ['[! ]', '!'], running: ['[..]', '…'], skipped: ['[--]', '–'], unknown: ['[??]', '?']};
  return marks[status][ascii ? 0 : 1];
}

export const statusColor: Record<Status, string | undefined> = {ok: 'green', failed: 'red', warning: 'yellow', running: 'yellow', skipped: undefined, unknown: 'yellow'};

/**
 * The height a part of a screen really drew (wrapped text, errors and all), for sharing the body
 * between fixed parts and a list: the list gets what the others leave. Measured after each commit of
 * the screen, and every 100 ms for changes inside a child that re-rendered alone (a text field's error
 * appearing); a change re-renders once.
 */
export function useMeasuredHeight(): [React.RefObject<DOMElement | null>, number] {
  const ref = useRef<DOMElement>(null);
  const [height, setHeight] = useState(0);
  const latest = useRef(0);
  const measure = useCallback(() => {
    if (!ref.current) return;
    const measured = measureElement(ref.current).height;
    if (measured === latest.current) return;
    latest.current = measured;
    setHeight(measured);
  }, []);
  // After every commit on purpose: what the part shows changes without any prop of this hook changing.
  // It settles: the height is only set when it differs, and the measured part does not depend on it.
  useLayoutEffect(measure);
  useEffect(() => {
    const timer = setInterval(measure, 100);
    timer.unref?.();
    return () => clearInterval(timer);
  }, [measure]);
  return [ref, height];
}
