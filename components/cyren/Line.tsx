import React from 'react';
import {Text} from 'ink';
import {useLayout} from '../layout.js';

export const basename = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** Cuts a line to the terminal width itself, so ASCII mode gets "..." instead of Ink's unicode ellipsis. */
export function fitLine(raw: string, columns: number, ascii: boolean): string {
  // Service display names carry an en dash; ASCII mode (conhost) shows a hyphen instead.
  const text = ascii ? raw.replace(/[\u2010-\u2015\u2212]/g, '-') : raw;
  const width = Math.max(10, columns - 1);
  if (text.length <= width) return text;
  return ascii ? `${text.slice(0, width - 3)}...` : `${text.slice(0, width - 1)}\u2026`;
}

export function Line({children, ...props}: {children: string} & Omit<React.ComponentProps<typeof Text>, 'children' | 'wrap'>) {
  const layout = useLayout();
  return (
    <Text wrap="truncate-end" {...props}>
      {fitLine(children, layout.columns, layout.ascii)}
    </Text>
  );
}
