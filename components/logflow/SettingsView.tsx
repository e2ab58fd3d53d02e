import React, {useReducer} from 'react';
import {Box, Text} from 'ink';
import {allProtocols, protocolLabels} from '../../source/logflow/types.js';
import {isChar, isDown, isUp} from '../../source/input/keys.js';
import {durationWords} from '../../source/local-time.js';
import {useKeyTable, type KeyTable} from '../input/key-table.js';
import {glyphs, useLayout} from '../layout.js';
import {TextField} from '../widgets/TextField.js';
import {initialSettingsState, settingsReducer} from './flow-view-state.js';
import {Line, StepHeader} from './parts.js';
import type {PhaseProps} from './phase-props.js';

/** Step 2: the protocols to log and this run's log location per role; Enter turns logging on. */
export function SettingsView({controller, view}: Pick<PhaseProps, 'controller' | 'view'>) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  const [settings, dispatch] = useReducer(settingsReducer, view.state, initialSettingsState);
  const {protocols, locations, index, editing, checking} = settings;
  const rows = [...allProtocols.map(protocol => ({kind: 'protocol' as const, protocol})), ...view.state.roles.map(role => ({kind: 'role' as const, role: role.name}))];
  const maxRoleRows = Math.max(1, layout.bodyRows - 12);
  const row = rows[index];
  const table: KeyTable = [
      {keys: 'Up/Down', does: 'move', matches: key => isUp(key) || isDown(key), run: key => dispatch({type: 'move', delta: isUp(key) ? -1 : 1, rows: rows.length}), helpOnly: true},
      {
        keys: row?.kind === 'role' ? 'Space/l' : 'Space',
        does: row?.kind === 'role' ? 'edit the location' : 'toggle',
        matches: key => key.name === 'space' || isChar(key, 'l'),
        run: () => {
          if (row?.kind === 'protocol') dispatch({type: 'toggleProtocol', protocol: row.protocol});
          else if (row?.kind === 'role') dispatch({type: 'editLocation', role: row.role});
        },
      },
      {
        keys: 'Enter',
        does: 'turn logging ON',
        matches: key => key.name === 'return',
        run: () => {
          dispatch({type: 'checking', checking: true});
          const roles = view.state.roles.map(({logging: _logging, problem: _problem, ...role}) => ({...role, location: locations[role.name] ?? role.location}));
          void controller.confirmSettings(protocols, roles).finally(() => dispatch({type: 'checking', checking: false}));
        },
      },
      {keys: 'Esc', does: 'back to roles', matches: key => key.name === 'escape', run: () => controller.backToRoles()},
  ];
  // While the locations are checked no key does anything (the run is being set up).
  useKeyTable(table.map(binding => ({...binding, when: !checking})), {isActive: editing === undefined});
  const roleRows = rows.filter(each => each.kind === 'role');
  const selectedRoleOffset = Math.max(0, index - allProtocols.length);
  const roleStart = Math.floor(selectedRoleOffset / maxRoleRows) * maxRoleRows;
  return (
    <Box flexDirection="column">
      <StepHeader step={2} />
      <Text>{`Wait after reproducing: ${durationWords(view.state.waitMs)}, then logging goes off`}</Text>
      <Text dimColor>Protocols to log (Space toggles):</Text>
      {allProtocols.map((protocol, offset) => (
        <Text key={protocol} color={offset === index ? 'cyan' : undefined}>
          {`${offset === index ? g.pointer : ' '} [${protocols.includes(protocol) ? 'x' : ' '}] ${protocolLabels[protocol]}`}
        </Text>
      ))}
      <Text dimColor>Log location per role (Space or l edits):</Text>
      {roleRows.slice(roleStart, roleStart + maxRoleRows).map((each, offset) => {
        const position = allProtocols.length + roleStart + offset;
        const name = each.kind === 'role' ? each.role : '';
        if (editing === name) {
          return (
            <TextField
              key={name}
              label={name}
              initialValue={locations[name]}
              enterDoes="use this location for this run"
              escDoes="cancel"
              validate={value => (value.trim() === '' ? 'A folder is needed.' : undefined)}
              onSubmit={value => dispatch({type: 'setLocation', role: name, location: value.trim()})}
              onCancel={() => dispatch({type: 'editLocation', role: undefined})}
            />
          );
        }
        return <Line key={name} color={position === index ? 'cyan' : undefined}>{`${position === index ? g.pointer : ' '} ${name}: ${locations[name]}`}</Line>;
      })}
      {roleRows.length > maxRoleRows ? <Text dimColor>{`roles ${roleStart + 1}-${Math.min(roleRows.length, roleStart + maxRoleRows)} of ${roleRows.length}`}</Text> : null}
      {checking ? <Text dimColor>Checking the log locations...</Text> : null}
    </Box>
  );
}
