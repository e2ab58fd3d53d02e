import React, {createContext, useContext, useEffect, useState} from 'react';
import {useStdout} from 'ink';

export interface Layout {
  rows: number;
  columns: number;
  ascii: boolean;
  color: boolean;
  /** Lines a screen body may use: the terminal minus header and footer, so a frame never overflows. */
  bodyRows: number;
}

export const headerRows = 4;
export const footerRows = 2;

const LayoutContext = createContext<Layout>({rows: 24, columns: 80, ascii: false, color: true, bodyRows: 24 - headerRows - footerRows});

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
  const layout: Layout = {...size, ascii, color, bodyRows: Math.max(3, size.rows - headerRows - footerRows - 1)};
  return <LayoutContext.Provider value={layout}>{children}</LayoutContext.Provider>;
}

/** Box-drawing or ASCII glyphs, per the ASCII setting. */
export function glyphs(ascii: boolean) {
  return ascii
    ? {pointer: '>', up: '^', down: 'v', check: 'x', bullet: '*', ok: 'OK', fail: '!!', ellipsis: '...', border: 'classic' as const}
    : {pointer: '❯', up: '↑', down: '↓', check: '✔', bullet: '•', ok: '✔', fail: '✖', ellipsis: '…', border: 'round' as const};
}
