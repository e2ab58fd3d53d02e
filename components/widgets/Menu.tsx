import React from 'react';
import {Box, Text} from 'ink';
import SelectInput from 'ink-select-input';
import type {Key} from '../../source/input/keys.js';
import {isDown, isUp} from '../../source/input/keys.js';
import {useKeyTable, type KeyTable} from '../input/key-table.js';
import {glyphs, useLayout} from '../layout.js';
import {currentPage, useListNavigation} from './list-navigation.js';
import {displayWidth, truncate} from './text-width.js';

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
  /** What Esc does here, in the footer and the help (default: back). */
  backDoes?: string;
  /** Other keys the screen wants; return true when handled. */
  onOtherKey?: (key: Key) => boolean | void;
  initialIndex?: number;
  /** At most this many rows (default: what the layout allows); longer lists are paginated. */
  maxRows?: number;
  isActive?: boolean;
  /** The screen's own keys besides the menu's (shown in the footer and the help). */
  extraKeys?: KeyTable;
}

interface RowProps {
  isSelected?: boolean;
  label: string;
  hint?: string;
}

/**
 * A keyboard menu: arrows / j-k, PgUp/PgDn, Home/End, a digit highlights its entry, Enter selects.
 * The highlight is list-navigation state (a pure function of the keys); ink-select-input draws the
 * page, with the console's pointer and row (number, label, dimmed hint) as its components. Its own
 * keys stay off: it would select on a digit at once and rotate instead of paging.
 */
export function Menu<T extends string>({items, onSelect, onBack, backDoes, onOtherKey, initialIndex = 0, maxRows, isActive = true, extraKeys = []}: MenuProps<T>) {
  const layout = useLayout();
  const pageSize = Math.max(1, Math.min(maxRows ?? layout.bodyRows, items.length));
  const navigation = useListNavigation(items.length, pageSize, initialIndex);
  const {index} = navigation.state;
  const {start, page, pages} = currentPage(navigation.state);
  const move = (key: Parameters<typeof navigation.apply>[0]) => void navigation.apply(key);
  useKeyTable(
    [
      {keys: layout.ascii ? 'Up/Dn j/k' : '↑↓ j/k', does: 'move', matches: key => isUp(key) || isDown(key), run: move, when: items.length > 1},
      {keys: 'Enter', does: 'select', matches: key => key.name === 'return' && !key.meta, run: () => items[index] && onSelect(items[index])},
      {keys: `1-${Math.min(9, items.length)}`, does: 'highlight that entry', matches: key => key.name === 'char' && /^[1-9]$/.test(key.input) && !key.ctrl && !key.meta, run: move, when: items.length > 1, helpOnly: true},
      {keys: 'PgUp/PgDn', does: 'page', matches: key => key.name === 'pageup' || key.name === 'pagedown', run: move, when: pages > 1},
      {keys: 'Home/End', does: 'first / last', matches: key => key.name === 'home' || key.name === 'end', run: move, when: items.length > 1, helpOnly: true},
      ...extraKeys,
      {keys: 'Esc', does: backDoes ?? 'back', matches: key => key.name === 'escape' || key.name === 'backspace', run: () => onBack?.(), when: onBack !== undefined},
    ],
    {isActive, onOtherKey: key => void onOtherKey?.(key)},
  );
  const numbered = items.length > 1;
  // One line per entry, cut by display width (hint first): Ink would wrap a long row, and its own
  // ellipsis is not ASCII.
  const room = Math.max(10, layout.columns - 1) - 2;
  const visible = items.slice(start, start + pageSize).map((item, offset) => {
    const number = numbered ? (start + offset < 9 ? `${start + offset + 1} ` : '  ') : '';
    const label = truncate(number + item.label, room, layout.ascii);
    const hintRoom = room - displayWidth(label);
    const hint = item.hint && hintRoom > 4 ? truncate(`  ${item.hint}`, hintRoom, layout.ascii) : undefined;
    return {key: item.value, value: item.value, label, hint};
  });
  return (
    <Box flexDirection="column">
      {/* Re-created when the highlight moves: ink-select-input keeps its own index, the menu's is the truth. */}
      <SelectInput key={`${start}:${index}`} items={visible} initialIndex={index - start} isFocused={false} indicatorComponent={MenuPointer} itemComponent={MenuRow as React.FC<{isSelected?: boolean; label: string}>} />
      {pages > 1 ? <Text dimColor>{`page ${page}/${pages}  (PgUp/PgDn)`}</Text> : null}
    </Box>
  );
}

function MenuPointer({isSelected}: {isSelected?: boolean}) {
  const g = glyphs(useLayout().ascii);
  return <Text color={isSelected ? 'cyan' : undefined}>{isSelected ? `${g.pointer} ` : '  '}</Text>;
}

function MenuRow({isSelected, label, hint}: RowProps) {
  return (
    <Text wrap="truncate-end">
      <Text color={isSelected ? 'cyan' : undefined} bold={isSelected}>
        {label}
      </Text>
      {hint && hint.trim() ? <Text dimColor>{hint}</Text> : null}
    </Text>
  );
}
