import React from 'react';
import {Text} from 'ink';
import {useLayout} from '../layout.js';

/** Cuts a line to the width with an ellipsis the ASCII setting allows (Ink's own is not ASCII). */
export function clip(text: string, width: number, ascii: boolean): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return `${text.slice(0, Math.max(0, width - (ascii ? 3 : 1)))}${ascii ? '...' : '…'}`;
}

/** A view's title: one line, cut to the terminal. */
export function Title({children}: {children: string}) {
  const layout = useLayout();
  return (
    <Text bold wrap="truncate-end">
      {clip(children, layout.columns - 1, layout.ascii)}
    </Text>
  );
}
