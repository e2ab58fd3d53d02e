import React, {useLayoutEffect, useRef} from 'react';
import {Box, Text, type DOMElement} from 'ink';
import {useLayout} from '../layout.js';
import {setCopyOverlay, type OverlayLine} from './copy-overlay.js';
import {displayWidth} from './text-width.js';

/** Terminal rows a line takes when the terminal wraps it (at its full width). */
export function rowsFor(line: string, terminalColumns: number): number {
  return Math.max(1, Math.ceil(displayWidth(line) / Math.max(1, terminalColumns)));
}

/** Where an Ink element is on the terminal: its top row, counted from the frame's first row (0). */
function absoluteTop(element: DOMElement | null): number | undefined {
  let top = 0;
  let node: DOMElement | undefined = element ?? undefined;
  if (!node?.yogaNode) return undefined;
  while (node) {
    top += node.yogaNode?.getComputedTop() ?? 0;
    node = node.parentNode;
  }
  return top;
}

/**
 * Lines to copy (commands, a script): each on its own line(s), never cut and never broken by the
 * console. A line that fits is drawn by Ink; a longer one gets blank rows here and is written in one
 * piece by the copy overlay, wrapped by the terminal itself (see copy-overlay.ts).
 */
export function CopyText({lines, color}: {lines: readonly string[]; color?: string}) {
  const layout = useLayout();
  const refs = useRef<(DOMElement | null)[]>([]);
  useLayoutEffect(() => {
    const overlay: OverlayLine[] = [];
    lines.forEach((line, index) => {
      if (displayWidth(line) <= layout.columns) return;
      const top = absoluteTop(refs.current[index] ?? null);
      if (top !== undefined) overlay.push({row: top + 1, text: line});
    });
    setCopyOverlay(overlay);
  });
  // A layout effect's clean-up runs while React commits, before Ink draws the next frame and before
  // the next screen's CopyText sets its lines: a passive one would run after both, painting the old
  // command over the new screen and then wiping the new screen's command.
  useLayoutEffect(() => () => setCopyOverlay([]), []);
  return (
    <Box flexDirection="column" flexShrink={0}>
      {lines.map((line, index) =>
        displayWidth(line) <= layout.columns ? (
          <Box key={index} ref={element => void (refs.current[index] = element)}>
            <Text color={color}>{line || ' '}</Text>
          </Box>
        ) : (
          <Box key={index} ref={element => void (refs.current[index] = element)} height={rowsFor(line, layout.terminalColumns)} flexShrink={0} />
        ),
      )}
    </Box>
  );
}
