import React, {useState} from 'react';
import {Box, Text} from 'ink';
import type {Key} from '../../source/input/keys.js';
import {useKeyTable} from '../input/key-table.js';
import {useLayout} from '../layout.js';
import {applyTextFieldKey, textFieldState, visibleParts} from './text-field-state.js';
import {displayWidth} from './text-width.js';

export interface TextFieldProps {
  label: string;
  initialValue?: string;
  /** Shows one '*' per character and never the value. */
  mask?: boolean;
  placeholder?: string;
  /** Returns an error message to show next to the field, or undefined when valid. */
  validate?: (value: string) => string | undefined;
  onSubmit: (value: string) => void;
  onCancel?: () => void;
  /** Up/Down/Tab/Shift+Tab, for forms that move between fields (with the text typed so far, so it is not lost). */
  onNavigate?: (direction: 'previous' | 'next', value: string) => void;
  isActive?: boolean;
  /** What Enter and Esc do here, in the footer and the help (default: confirm, back). */
  enterDoes?: string;
  escDoes?: string;
}

/**
 * A one-line text input. Its state is a TextFieldState changed only by applyTextFieldKey (pure,
 * tested without a terminal); this view draws it and hands the intents (submit, cancel, move) on.
 */
export function TextField({label, initialValue = '', mask = false, placeholder, validate, onSubmit, onCancel, onNavigate, isActive = true, enterDoes = 'confirm', escDoes}: TextFieldProps) {
  const layout = useLayout();
  const [state, setState] = useState(() => textFieldState(initialValue));
  const [error, setError] = useState<string | undefined>();
  const edit = (key: Key) => {
    const {state: next, intent} = applyTextFieldKey(state, key);
    if (next !== state) {
      setState(next);
      setError(undefined);
    }
    if (intent === 'submit') {
      const problem = validate?.(next.value);
      if (problem) setError(problem);
      else onSubmit(next.value);
    } else if (intent === 'cancel') onCancel?.();
    else if (intent === 'previous' || intent === 'next') onNavigate?.(intent, next.value);
  };
  // Every key goes to the field's state; the table says which ones mean something here.
  useKeyTable(
    [
      {keys: 'Enter', does: enterDoes, matches: key => key.name === 'return', run: edit},
      {keys: 'Esc', does: escDoes ?? (onNavigate ? 'leave the form' : 'back'), matches: key => key.name === 'escape', run: edit, when: onCancel !== undefined},
      {keys: 'Tab/Shift+Tab', does: 'next / previous field', matches: key => key.name === 'tab' || key.name === 'up' || key.name === 'down', run: edit, when: onNavigate !== undefined},
      {keys: 'Left/Right Home/End', does: 'move the cursor (also Ctrl-A/E)', matches: () => false, run: edit, helpOnly: true},
      {keys: 'Ctrl-W / Ctrl-U', does: 'erase a word / to the start', matches: () => false, run: edit, helpOnly: true},
      {keys: 'paste', does: 'inserted as text, never as keys', matches: () => false, run: edit, helpOnly: true},
    ],
    {isActive, capturesText: true, onOtherKey: edit},
  );
  const shown = mask ? '*'.repeat(Array.from(state.value).length) : state.value;
  const cursor = mask ? Array.from(state.value.slice(0, state.cursor)).length : state.cursor;
  const prefix = `${label}: `;
  const room = Math.max(4, layout.columns - 1 - displayWidth(prefix) - 2);
  return (
    <Box flexDirection="column">
      <Box>
        <Text bold={isActive}>{prefix}</Text>
        {isActive ? (
          <FieldText shown={shown} cursor={cursor} width={room} color={layout.color} />
        ) : shown.length > 0 ? (
          <Text wrap="truncate-end">{shown}</Text>
        ) : (
          <Text dimColor>{placeholder ?? ''}</Text>
        )}
        {isActive && shown.length === 0 && placeholder ? <Text dimColor>{` ${placeholder}`}</Text> : null}
      </Box>
      {error ? <Text color="red">{`  ${error}`}</Text> : null}
    </Box>
  );
}

/** The text with its cursor: inverse where colours are on, '_' (at the end) or [x] without them (NO_COLOR). */
function FieldText({shown, cursor, width, color}: {shown: string; cursor: number; width: number; color: boolean}) {
  const {before, at, after} = visibleParts(shown, cursor, width);
  if (!color) return <Text>{at === '' ? `${before}_` : `${before}[${at}]${after}`}</Text>;
  return (
    <Text>
      {before}
      <Text inverse>{at === '' ? ' ' : at}</Text>
      {after}
    </Text>
  );
}
