import React from 'react';
import {Box, Text} from 'ink';
import type {RoleDefinition} from '../../source/logflow/types.js';
import {isChar, isDown, isUp} from '../../source/input/keys.js';
import {useKeyTable, type KeyTable} from '../input/key-table.js';
import {glyphs, useLayout} from '../layout.js';
import {TextField} from '../widgets/TextField.js';
import {questionKeys} from './guard-keys.js';
import {LocationSizes} from './LocationSizes.js';
import {Line, StepHeader} from './parts.js';
import type {PhaseProps} from './phase-props.js';

export interface ChooseRolesProps extends PhaseProps {
  /** Saves a changed role list (settings.json "roles") and says so; undefined: the list is read-only. */
  save?: (roles: RoleDefinition[], message: string, resetIndex?: boolean) => void;
  back: () => void;
}

/** Step 1: choose the roles of this run; add, relocate or remove configured roles. */
export function ChooseRolesView({controller, ui, dispatch, save, back}: ChooseRolesProps) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  const {roles, index, removing, edit} = ui;
  const selected = roles[index];
  // Room for the header, two notes, the size line (and its warning), the page line, the field or
  // question and the message.
  const pageSize = Math.max(3, layout.bodyRows - 10);
  const editable = save !== undefined;
  const table: KeyTable = removing
    ? questionKeys(
        'remove',
        'keep it',
        () => save?.(roles.filter(role => role !== removing), `Removed "${removing.name}" from settings.json.`, true),
        () => dispatch({type: 'keepRole'}),
      )
    : [
        {keys: 'Up/Down', does: 'move', matches: key => isUp(key) || isDown(key), run: key => dispatch({type: 'move', delta: isUp(key) ? -1 : 1}), helpOnly: true},
        {keys: 'PgUp/PgDn', does: 'page', matches: key => key.name === 'pageup' || key.name === 'pagedown', run: key => dispatch({type: 'page', delta: key.name === 'pageup' ? -1 : 1, pageSize}), when: roles.length > pageSize, helpOnly: true},
        {keys: 'Space', does: 'choose', matches: key => key.name === 'space', run: () => dispatch({type: 'toggle'}), when: selected !== undefined},
        {keys: 'A', does: 'all', matches: key => isChar(key, 'A'), run: () => dispatch({type: 'chooseAll'}), when: roles.length > 1},
        {keys: 'Enter', does: `continue (${ui.chosen.length} chosen)`, matches: key => key.name === 'return', run: () => controller.chooseRoles(roles.filter(role => ui.chosen.includes(role.name)))},
        {keys: 'n', does: 'new', matches: key => isChar(key, 'n'), run: () => dispatch({type: 'edit', edit: {kind: 'newName'}}), when: editable},
        {keys: 'e', does: 'location', matches: key => isChar(key, 'e'), run: () => dispatch({type: 'edit', edit: {kind: 'location'}}), when: editable && selected !== undefined},
        {keys: 'x', does: 'remove', matches: key => isChar(key, 'x'), run: () => dispatch({type: 'askRemove'}), when: editable && selected !== undefined},
        {keys: 'Esc', does: 'back', matches: key => key.name === 'escape', run: back},
      ];
  useKeyTable(
    table.map(binding => ({...binding, run: key => (dispatch({type: 'key'}), binding.run(key))})),
    {isActive: edit === undefined, onOtherKey: () => dispatch({type: 'key'})},
  );
  const pageStart = Math.floor(index / pageSize) * pageSize;
  const visible = roles.slice(pageStart, pageStart + pageSize);
  const cancel = () => dispatch({type: 'edit', edit: undefined});
  return (
    <Box flexDirection="column">
      <StepHeader step={1} />
      <Line dimColor>{`Repeat for each licensed and active gateway role: choose one or several.`}</Line>
      <Line dimColor>{'guided: you click it in the NoSpamProxy console (the real way: no public cmdlet or file format); script: your own automation'}</Line>
      {visible.map((role, offset) => {
        const current = pageStart + offset === index;
        return (
          <Line key={role.name} color={current ? 'cyan' : undefined}>{`${current ? g.pointer : ' '} [${ui.chosen.includes(role.name) ? 'x' : ' '}] ${role.name}  (${role.driver})  ${role.location}`}</Line>
        );
      })}
      {roles.length > pageSize ? <Text dimColor>{`page ${Math.floor(index / pageSize) + 1}/${Math.ceil(roles.length / pageSize)} (PgUp/PgDn)`}</Text> : null}
      <LocationSizes roles={visible} />
      {edit?.kind === 'newName' ? (
        <TextField
          key="name"
          label="New guided role, name"
          validate={value => (value.trim() === '' ? 'A name is needed.' : roles.some(role => role.name.toLowerCase() === value.trim().toLowerCase()) ? 'That name exists already.' : undefined)}
          onSubmit={value => dispatch({type: 'edit', edit: {kind: 'newLocation', name: value.trim()}})}
          onCancel={cancel}
        />
      ) : edit?.kind === 'newLocation' ? (
        <TextField
          key="location"
          label="Log location"
          validate={value => (value.trim() === '' ? 'A folder is needed.' : undefined)}
          onSubmit={value => save?.([...roles, {name: edit.name, driver: 'guided', location: value.trim()}], `Added guided role "${edit.name}" to settings.json.`)}
          onCancel={cancel}
        />
      ) : edit?.kind === 'location' && selected ? (
        <TextField
          key="edit"
          label={`Log location of ${selected.name}`}
          initialValue={selected.location}
          validate={value => (value.trim() === '' ? 'A folder is needed.' : undefined)}
          onCancel={cancel}
          onSubmit={value =>
            save?.(
              roles.map((role, position) => (position === index ? {...role, location: value.trim()} : role)),
              `Saved the log location of "${selected.name}" in settings.json.`,
            )
          }
        />
      ) : removing ? (
        <Text color="yellow">{`Remove "${removing.name}" from settings.json?${removing.driver === 'script' ? ' Its on/off commands are lost.' : ''} y remove, any other key keeps it`}</Text>
      ) : null}
      {ui.message ? <Text color="green">{ui.message}</Text> : null}
    </Box>
  );
}
