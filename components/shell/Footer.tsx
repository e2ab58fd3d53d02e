import React from 'react';
import {Text} from 'ink';
import {glyphs, useLayout} from '../layout.js';
import {fit} from './Header.js';

/** Always visible: the main keys. */
export function Footer({extra}: {extra?: string}) {
  const layout = useLayout();
  const move = layout.ascii ? 'Up/Dn j/k' : '↑↓ j/k';
  const text = `${move} move  Enter select  Esc back  ? keys  q quit${extra ? `  ${extra}` : ''}`;
  return (
    <Text dimColor>{fit(text, layout.columns, glyphs(layout.ascii).ellipsis)}</Text>
  );
}
