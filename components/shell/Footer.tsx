import React from 'react';
import {Text, Transform} from 'ink';
import {glyphs, useLayout, type Layout} from '../layout.js';
import {fit} from './Header.js';
import {useShownKeysStore} from '../input/key-router.js';
import type {ShownKeys} from '../input/shown-keys.js';

/** The footer line: the keys of the table in use (only those that work here), then help and quit where they work. */
function footerText(shown: ShownKeys | undefined, layout: Layout, extra: string | undefined): string {
  const move = layout.ascii ? 'Up/Dn j/k' : '↑↓ j/k';
  const text = shown
    ? [...shown.entries.filter(entry => entry.footer).map(entry => `${entry.keys} ${entry.does}`), ...(shown.capturesText ? [] : ['? keys', 'q quit']), ...(extra ? [extra] : [])].join('  ')
    : `${move} move  Enter select  Esc back  ? keys  q quit${extra ? `  ${extra}` : ''}`;
  return fit(text, layout.columns, glyphs(layout.ascii).ellipsis) || ' ';
}

/**
 * Always visible: the main keys. The text is taken from the key tables when Ink draws the frame (a
 * Transform), not when the footer renders: a screen publishes its table while React commits, after
 * the footer has rendered, and the frame of that commit must already show the screen's keys.
 * The footer's box spans the full width, so the drawn text may be longer than the rendered one.
 */
export function Footer({extra}: {extra?: string}) {
  const layout = useLayout();
  const store = useShownKeysStore();
  const rendered = footerText(store?.current(), layout, extra);
  const drawn = (line: string) => line.replace(rendered, () => footerText(store?.current(), layout, extra));
  return (
    <Transform transform={drawn}>
      <Text dimColor>{rendered}</Text>
    </Transform>
  );
}
