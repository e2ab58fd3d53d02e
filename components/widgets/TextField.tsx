import React, {useState} from 'react';
import {Box, Text} from 'ink';
import type {Key} from '../../source/input/keys.js';
import {useKeys} from '../input/key-router.js';

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
  /** Up/Down/Tab, for forms that move between fields (with the text typed so far, so it is not lost). */
  onNavigate?: (direction: 'previous' | 'next', value: string) => void;
  isActive?: boolean;
}

/** A one-line text input fed key by key by the router, so "389\r" types 389 and submits. */
export function TextField({label, initialValue = '', mask = false, placeholder, validate, onSubmit, onCancel, onNavigate, isActive = true}: TextFieldProps) {
  const [value, setValue] = useState(initialValue);
  const [error, setError] = useState<string | undefined>();
  // Keys of one burst arrive before React re-renders this closure; keep the latest value in a ref too.
  const latest = React.useRef(value);
  const update = (next: string) => {
    latest.current = next;
    setValue(next);
    setError(undefined);
  };
  useKeys(
    (key: Key) => {
      if (key.name === 'return') {
        const problem = validate?.(latest.current);
        if (problem) setError(problem);
        else onSubmit(latest.current);
      } else if (key.name === 'escape') onCancel?.();
      else if (key.name === 'backspace' || key.name === 'delete') update(latest.current.slice(0, -1));
      else if (key.ctrl && key.input === 'u') update('');
      else if (key.name === 'up') onNavigate?.('previous', latest.current);
      else if (key.name === 'down' || key.name === 'tab') onNavigate?.('next', latest.current);
      else if ((key.name === 'char' && !key.ctrl) || key.name === 'space') update(latest.current + key.input);
    },
    {isActive, capturesText: true},
  );
  const shown = mask ? '*'.repeat(value.length) : value;
  return (
    <Box flexDirection="column">
      <Box>
        <Text bold={isActive}>{`${label}: `}</Text>
        {shown.length > 0 ? <Text>{shown}</Text> : <Text dimColor>{placeholder ?? ''}</Text>}
        {isActive ? <Text inverse> </Text> : null}
      </Box>
      {error ? <Text color="red">{`  ${error}`}</Text> : null}
    </Box>
  );
}
