import {useState} from 'react';
import type {Key} from '../../source/input/keys.js';

export interface Pager {
  /** The lines to draw now (at most `height`, the indicator included). */
  visible: readonly string[];
  /** "lines 1-9 of 14  PgDn more", or undefined when everything fits. */
  indicator: string | undefined;
  /** PgUp/PgDn/Home/End; true when the key was one of them. */
  onKey: (key: Key) => boolean;
}

/**
 * Pages pre-wrapped lines (instructions, a diff) within a height: nothing is cut, the rest is one
 * PgDn away and an indicator says so. The screen gives it its keys (the screen's handler is on top).
 */
export function usePager(lines: readonly string[], height: number): Pager {
  const [start, setStart] = useState(0);
  const fits = lines.length <= height;
  const pageSize = Math.max(1, fits ? height : height - 1);
  const last = Math.max(0, lines.length - pageSize);
  const first = Math.min(start, last);
  const onKey = (key: Key): boolean => {
    if (fits) return false;
    if (key.name === 'pagedown') setStart(Math.min(last, first + pageSize));
    else if (key.name === 'pageup') setStart(Math.max(0, first - pageSize));
    else if (key.name === 'home') setStart(0);
    else if (key.name === 'end') setStart(last);
    else return false;
    return true;
  };
  if (fits) return {visible: lines, indicator: undefined, onKey};
  const end = Math.min(lines.length, first + pageSize);
  const more = end < lines.length ? '  PgDn more' : '  PgUp back';
  return {visible: lines.slice(first, end), indicator: `lines ${first + 1}-${end} of ${lines.length}${more}`, onKey};
}
