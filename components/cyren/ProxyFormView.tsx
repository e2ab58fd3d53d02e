import React, {useState} from 'react';
import {Box, Text} from 'ink';
import {validateForm, type FormErrors, type FormField, type ProxyForm} from '../../source/cyren/form.js';
import {isDown, isUp, type Key} from '../../source/input/keys.js';
import {useKeys} from '../input/key-router.js';
import {useLayout} from '../layout.js';
import {Line} from './Line.js';

const fieldLabels: Record<FormField, string> = {server: 'Proxy server', port: 'Port', auth: 'Authentication', user: 'User name', password: 'Password'};

/** Server, port, NoAuth/Basic, user, masked password; problems shown under the fields. One key handler. */
export function ProxyFormView({
  initial,
  initialFocus,
  keepAllowed,
  problem,
  onSubmit,
  onCancel,
}: {
  initial: ProxyForm;
  initialFocus: FormField | 'submit';
  keepAllowed: boolean;
  /** A problem found when planning the change (e.g. a character a file's encoding cannot hold). */
  problem?: string;
  onSubmit: (form: ProxyForm) => void;
  onCancel: () => void;
}) {
  const layout = useLayout();
  const [form, setForm] = useState(initial);
  const [focus, setFocus] = useState<FormField | 'submit'>(initialFocus);
  const [touched, setTouched] = useState<Set<FormField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  // The key boundary hands over the next key of a burst only after this one's render is committed,
  // so the handler reads the state of that render (no copies in refs).
  const fields: (FormField | 'submit')[] = form.auth === 'Basic' ? ['server', 'port', 'auth', 'user', 'password', 'submit'] : ['server', 'port', 'auth', 'submit'];
  const errors: FormErrors = validateForm(form, keepAllowed);

  const update = setForm;
  const move = (direction: 1 | -1) => {
    const index = fields.indexOf(focus);
    const next = fields[(index + direction + fields.length) % fields.length]!;
    if (focus !== 'submit') setTouched(previous => new Set(previous).add(focus));
    setFocus(next);
  };
  const submit = () => {
    setSubmitted(true);
    if (Object.keys(errors).length === 0) onSubmit(form);
  };

  useKeys(
    (key: Key) => {
      const field = focus;
      const current = form;
      if (key.name === 'escape') return onCancel();
      if (isUp(key) && key.name === 'up') return move(-1);
      if ((isDown(key) && key.name === 'down') || key.name === 'tab') return move(1);
      if (key.name === 'return') return field === 'submit' ? submit() : move(1);
      if (field === 'auth') {
        if (key.name === 'space' || key.name === 'left' || key.name === 'right' || (key.name === 'char' && /^[bn]$/i.test(key.input))) {
          const auth = key.name === 'char' ? (/^b$/i.test(key.input) ? 'Basic' : 'NoAuth') : current.auth === 'Basic' ? 'NoAuth' : 'Basic';
          update({...current, auth});
        }
        return;
      }
      if (field === 'submit') return;
      if (key.ctrl && key.input === 'u') return update({...current, [field]: ''});
      if (key.name === 'backspace' || key.name === 'delete') return update({...current, [field]: [...current[field]].slice(0, -1).join('')});
      if ((key.name === 'char' && !key.ctrl) || key.name === 'space') update({...current, [field]: current[field] + key.input});
    },
    {capturesText: true},
  );

  const labelWidth = 19;
  const valueWidth = Math.max(10, layout.columns - labelWidth - 4);
  const shown = (field: FormField): string => {
    const value = form[field];
    if (field === 'password') return value.length > 0 ? '*'.repeat(Math.min(value.length, valueWidth)) : keepAllowed ? '(empty = keep the current password)' : '';
    if (field === 'auth') return form.auth === 'Basic' ? '( ) NoAuth  (*) Basic' : '(*) NoAuth  ( ) Basic';
    return value.length > valueWidth ? `...${value.slice(-(valueWidth - 3))}` : value;
  };
  return (
    <Box flexDirection="column">
      <Text bold>Set the CYREN web proxy</Text>
      <Text dimColor>Up/Down or Tab: field  Enter: next  Space: NoAuth/Basic  Esc: cancel</Text>
      {fields.map(field => {
        if (field === 'submit') {
          return (
            <Box key="submit" marginTop={1}>
              {/* The pointer and brackets mark the focus without colour too (NO_COLOR drops inverse video). */}
              <Text inverse={focus === 'submit' && layout.color} bold color={focus === 'submit' ? 'cyan' : undefined}>
                {focus === 'submit' ? '> [ Preview the change ]' : '  [ Preview the change ]'}
              </Text>
              {submitted && Object.keys(errors).length > 0 ? <Text color="red">{'  fix the fields marked !'}</Text> : null}
            </Box>
          );
        }
        const error = errors[field];
        const showError = error !== undefined && (submitted || touched.has(field));
        return (
          <Box key={field} flexDirection="column">
            <Box>
              <Text color={focus === field ? 'cyan' : undefined} bold={focus === field}>
                {`${focus === field ? '>' : ' '} ${fieldLabels[field]}:`.padEnd(labelWidth)}
              </Text>
              <Text dimColor={field === 'password' && form.password.length === 0}>{shown(field)}</Text>
              {focus === field && field !== 'auth' ? layout.color ? <Text inverse> </Text> : <Text>_</Text> : null}
            </Box>
            {showError ? (
              <Line color="red">
                {`    ! ${error}`}
              </Line>
            ) : null}
          </Box>
        );
      })}
      {problem ? (
        <Text color="red" wrap="wrap">
          {problem}
        </Text>
      ) : null}
    </Box>
  );
}
