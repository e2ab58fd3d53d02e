import React from 'react';
import {Text, type TextProps} from 'ink';
import {glyphs, useLayout} from '../layout.js';

/** Cuts text to the width itself, with an ASCII "..." in ASCII mode (Ink's own truncation always draws "…"). */
export function fitText(text: string, width: number, ascii: boolean): string {
  if (text.length <= width) return text;
  const ellipsis = glyphs(ascii).ellipsis;
  return `${text.slice(0, Math.max(0, width - ellipsis.length))}${ellipsis}`;
}

/** One line of text that never wraps: at most `width` characters (default: the terminal width). */
export function Line({children, width, ...props}: Omit<TextProps, 'children' | 'wrap'> & {children: string; width?: number}) {
  const layout = useLayout();
  return (
    <Text {...props} wrap="truncate-end">
      {fitText(children, Math.max(1, width ?? layout.columns), layout.ascii)}
    </Text>
  );
}
