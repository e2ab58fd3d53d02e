import React from 'react';
import {Text} from 'ink';
import {useLayout} from '../layout.js';

/** Always visible: the main keys. */
export function Footer({extra}: {extra?: string}) {
  const layout = useLayout();
  const move = layout.ascii ? 'Up/Dn j/k' : '↑↓ j/k';
  const text = `${move} move  Enter select  Esc back  ? keys  q quit${extra ? `  ${extra}` : ''}`;
  return (
    <Text dimColor wrap="truncate-end">
      {text}
    </Text>
  );
}
