import React from 'react';
import {Text} from 'ink';
import {glyphs, useLayout} from '../layout.js';
import {fit} from './Header.js';
import {useShownKeys} from '../input/key-router.js';

/** Always visible: the main keys. */
export function Footer({extra}: {extra?: string}) {
  const layout = useLayout();
  const move = layout.ascii ? 'Up/Dn j/k' : '↑↓ j/k';
  const shown = useShownKeys();
  // The keys of the table in use (only those that work here), then help and quit where they work.
  const text = shown
    ? [...shown.entries.filter(entry => entry.footer).map(entry => `${entry.keys} ${entry.does}`), ...(shown.capturesText ? [] : ['? keys', 'q quit']), ...(extra ? [extra] : [])].join('  ')
    : `${move} move  Enter select  Esc back  ? keys  q quit${extra ? `  ${extra}` : ''}`;
  return (
    <Text dimColor>{fit(text, layout.columns, glyphs(layout.ascii).ellipsis)}</Text>
  );
}
