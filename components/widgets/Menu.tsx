import React, {useState} from 'react';
import {Box, Text} from 'ink';
import {isDown, isUp, type Key} from '../../source/input/keys.js';
import {useKeys} from '../input/key-router.js';
import {glyphs, useLayout} from '../layout.js';

export interface MenuItem<T extends string = string> {
  value: T;
  label: string;
  hint?: string;
}

export interface MenuProps<T extends string> {
  items: readonly MenuItem<T>[];
  onSelect: (item: MenuItem<T>) => void;
  /** Esc or Backspace. */
  onBack?: () => void;
  /** Other keys the screen wants (e.g. 'q'); return true when handled. */
  onOtherKey?: (key: Key) => boolean | void;
  initialIndex?: number;
  /** At most this many rows (default: what the layout allows); longer lists are paginated. */
  maxRows?: number;
  isActive?: boolean;
}

/** A keyboard menu: arrows / j-k, PgUp/PgDn, Home/End, digits jump, Enter selects. Pages when long. */
export function Menu<T extends string>({items, onSelect, onBack, onOtherKey, initialIndex = 0, maxRows, isActive = true}: MenuProps<T>) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  const [index, setIndexState] = useState(Math.min(initialIndex, Math.max(0, items.length - 1)));
  // Keys of one burst ("4\r") arrive before React re-renders this closure; keep the latest index in a ref too.
  const latest = React.useRef(index);
  const setIndex = (next: number | ((current: number) => number)) => {
    latest.current = typeof next === 'function' ? next(latest.current) : next;
    setIndexState(latest.current);
  };
  const pageSize = Math.max(1, Math.min(maxRows ?? layout.bodyRows, items.length));
  useKeys(
    key => {
      const index = latest.current;
      if (isUp(key)) setIndex(current => (current - 1 + items.length) % items.length);
      else if (isDown(key)) setIndex(current => (current + 1) % items.length);
      else if (key.name === 'pageup') setIndex(current => Math.max(0, current - pageSize));
      else if (key.name === 'pagedown') setIndex(current => Math.min(items.length - 1, current + pageSize));
      else if (key.name === 'home') setIndex(0);
      else if (key.name === 'end') setIndex(items.length - 1);
      else if (key.name === 'return') {
        const item = items[index];
        if (item) onSelect(item);
      } else if (key.name === 'escape' || key.name === 'backspace') onBack?.();
      else if (key.name === 'char' && /^[1-9]$/.test(key.input) && Number(key.input) <= items.length) setIndex(Number(key.input) - 1);
      else onOtherKey?.(key);
    },
    {isActive},
  );
  const pageStart = Math.floor(index / pageSize) * pageSize;
  const visible = items.slice(pageStart, pageStart + pageSize);
  const pages = Math.ceil(items.length / pageSize);
  return (
    <Box flexDirection="column">
      {visible.map((item, offset) => {
        const selected = pageStart + offset === index;
        // One line per entry, cut to the width by hand (hint first): Ink would wrap a long row and squeeze
        // the label mid-word, and its own ellipsis is not ASCII.
        const room = Math.max(10, layout.columns - 1) - 2;
        const label = cut(item.label, room, g.ellipsis);
        const hint = item.hint && label.length + 2 < room ? cut(`  ${item.hint}`, room - label.length, g.ellipsis) : '';
        return (
          <Text key={item.value} wrap="truncate-end">
            <Text color={selected ? 'cyan' : undefined}>{selected ? `${g.pointer} ` : '  '}</Text>
            <Text color={selected ? 'cyan' : undefined} bold={selected}>
              {label}
            </Text>
            {hint && hint.trim() ? <Text dimColor>{hint}</Text> : null}
          </Text>
        );
      })}
      {pages > 1 ? <Text dimColor>{`page ${Math.floor(index / pageSize) + 1}/${pages}  (PgUp/PgDn)`}</Text> : null}
    </Box>
  );
}

function cut(text: string, width: number, ellipsis: string): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - ellipsis.length))}${ellipsis}`;
}
