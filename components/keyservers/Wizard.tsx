import React, {useState} from 'react';
import {Box, Text} from 'ink';
import {Line} from './Line.js';
import {TextField} from '../widgets/TextField.js';

export interface WizardStep {
  key: string;
  label: string;
  initial?: string;
  mask?: boolean;
  /** Shown dimmed after the label while typing. */
  placeholder?: string;
  validate?: (value: string, answers: Record<string, string>) => string | undefined;
  /** Skip this step given the answers so far. */
  skip?: (answers: Record<string, string>) => boolean;
}

/** One field at a time (Enter next, Esc cancel); answered fields stay visible, masked ones as stars. */
export function Wizard({title, steps, onDone, onCancel, maxVisible}: {title: string; steps: WizardStep[]; onDone: (answers: Record<string, string>) => void; onCancel: () => void; maxVisible: number}) {
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [position, setPosition] = useState(() => nextStep(steps, -1, {}));
  const step = steps[position];
  if (!step) return null;
  const answered = steps.slice(0, position).filter(item => answers[item.key] !== undefined && !item.skip?.(answers));
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      {answered.slice(-maxVisible).map(item => (
        <Line key={item.key} dimColor>{`${item.label}: ${item.mask ? '*'.repeat(answers[item.key]!.length) : answers[item.key] || (item.label.endsWith('(y/N)') ? 'no' : '(none)')}`}</Line>
      ))}
      <TextField
        key={step.key}
        label={step.label}
        initialValue={answers[step.key] ?? step.initial ?? ''}
        mask={step.mask}
        placeholder={step.placeholder}
        validate={value => step.validate?.(value, answers)}
        onCancel={onCancel}
        onSubmit={value => {
          const next = {...answers, [step.key]: value};
          setAnswers(next);
          const following = nextStep(steps, position, next);
          if (following >= steps.length) onDone(next);
          else setPosition(following);
        }}
      />
      <Text dimColor>Enter next  Esc cancel  Ctrl-U clear</Text>
    </Box>
  );
}

function nextStep(steps: WizardStep[], from: number, answers: Record<string, string>): number {
  let index = from + 1;
  while (index < steps.length && steps[index]!.skip?.(answers)) index++;
  return index;
}
