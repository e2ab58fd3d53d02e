import React, {useState} from 'react';
import {Box} from 'ink';
import {TextField} from '../widgets/TextField.js';
import {Lines, Say} from './parts.js';

export interface FormField {
  key: string;
  label: string;
  hint?: string;
  validate: (value: string) => string | undefined;
}

/**
 * Several TextFields, one active at a time: Enter validates and moves on (the last one submits),
 * Up/Down/Tab move between fields, Esc cancels. Values survive moving around.
 */
export function Form({fields, initial, onSubmit, onCancel}: {fields: readonly FormField[]; initial: Record<string, string>; onSubmit: (values: Record<string, string>) => void; onCancel: () => void}) {
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [active, setActive] = useState(0);
  const [problem, setProblem] = useState<string | undefined>();
  const field = fields[active]!;
  const submitField = (value: string) => {
    const next = {...values, [field.key]: value};
    setValues(next);
    if (active < fields.length - 1) {
      setActive(active + 1);
      return;
    }
    const firstInvalid = fields.findIndex(candidate => candidate.validate(next[candidate.key] ?? '') !== undefined);
    if (firstInvalid >= 0) {
      setProblem(`${fields[firstInvalid]!.label}: ${fields[firstInvalid]!.validate(next[fields[firstInvalid]!.key] ?? '')}`);
      setActive(firstInvalid);
      return;
    }
    setProblem(undefined);
    onSubmit(next);
  };
  return (
    <Box flexDirection="column">
      {fields.map((candidate, index) =>
        index === active ? (
          <TextField
            key={`${candidate.key}-${active}`}
            label={candidate.label}
            initialValue={values[candidate.key] ?? ''}
            validate={candidate.validate}
            onSubmit={submitField}
            onCancel={onCancel}
            onNavigate={(direction, typed) => {
              setProblem(undefined);
              setValues(current => ({...current, [candidate.key]: typed}));
              setActive(current => (direction === 'next' ? Math.min(fields.length - 1, current + 1) : Math.max(0, current - 1)));
            }}
          />
        ) : (
          <Lines key={candidate.key} lines={[`${candidate.label}: ${values[candidate.key] ?? ''}`]} dim />
        ),
      )}
      {field.hint ? <Lines lines={[field.hint]} dim /> : null}
      {problem ? <Say color="red" text={problem} /> : null}
    </Box>
  );
}
