import {useState} from 'react';
import {isDown, isUp, type Key} from '../../source/input/keys.js';

/** Where the highlight stands in a list of count rows shown pageSize at a time. */
export interface ListNavigation {
  index: number;
  count: number;
  pageSize: number;
}

export function listNavigation(count: number, pageSize: number, index = 0): ListNavigation {
  return {count, pageSize: Math.max(1, pageSize), index: Math.max(0, Math.min(index, count - 1))};
}

/**
 * One key applied to a list, without a terminal: Up/Down and k/j wrap around, PgUp/PgDn move a page,
 * Home/End jump, a digit 1-9 highlights that row. Returns the same object when the key is not a
 * list key (so the caller can offer it to something else).
 */
export function moveInList(state: ListNavigation, key: Key): ListNavigation {
  const {index, count, pageSize} = state;
  if (count === 0) return state;
  const at = (next: number) => (next === index ? {...state} : {...state, index: next});
  if (isUp(key)) return at((index - 1 + count) % count);
  if (isDown(key)) return at((index + 1) % count);
  if (key.name === 'pageup') return at(Math.max(0, index - pageSize));
  if (key.name === 'pagedown') return at(Math.min(count - 1, index + pageSize));
  if (key.name === 'home') return at(0);
  if (key.name === 'end') return at(count - 1);
  if (key.name === 'char' && !key.ctrl && !key.meta && /^[1-9]$/.test(key.input) && Number(key.input) <= count) return at(Number(key.input) - 1);
  return state;
}

/** The page that holds the highlight. */
export function currentPage(state: ListNavigation): {start: number; page: number; pages: number} {
  const page = Math.floor(state.index / state.pageSize);
  return {start: page * state.pageSize, page: page + 1, pages: Math.max(1, Math.ceil(state.count / state.pageSize))};
}

/** A list's highlight as React state; count and page size follow the props, the index is kept in range. */
export function useListNavigation(count: number, pageSize: number, initialIndex = 0) {
  const [index, setIndex] = useState(() => listNavigation(count, pageSize, initialIndex).index);
  const state = listNavigation(count, pageSize, index);
  return {
    state,
    /** Applies a key; true when it was a list key. */
    apply(key: Key): boolean {
      const next = moveInList(state, key);
      if (next === state) return false;
      setIndex(next.index);
      return true;
    },
    setIndex,
  };
}
