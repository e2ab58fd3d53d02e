import React from 'react';
import {Box, Text} from 'ink';
import type {ProxyOverview} from '../../source/cyren/proxy-files.js';
import {maskSecrets} from '../../source/system/session-record.js';
import {useLayout} from '../layout.js';
import {Menu} from '../widgets/Menu.js';
import {Line} from './Line.js';

export type OverviewChoice = 'set' | 'disable' | 'test' | 'restore' | 'back';

/** Each file's proxy state, missing files, disagreements, and what to do next. */
export function OverviewView({view, onChoose, onBack}: {view: {overview: ProxyOverview; message?: string}; onChoose: (choice: OverviewChoice) => void; onBack: () => void}) {
  const layout = useLayout();
  const {overview} = view;

  const fileLine = (file: ProxyOverview['files'][number]) => {
    const parts: string[] = [file.status];
    if (file.server) parts.push(`${file.server}:${file.port ?? '?'}`);
    if (file.auth) parts.push(file.auth);
    if (file.user) parts.push(`user ${file.user}`);
    if (file.auth?.toLowerCase() === 'basic' || file.passwordSet) parts.push(file.passwordSet ? 'password set' : 'no password');
    return `${file.file.padEnd(11)} ${parts.join('  ')}`;
  };
  const notes = [...overview.missing.map(missing => `${missing.file.padEnd(11)} missing: ${missing.explanation.replace(/^\S+ is missing[,:]?\s*/, '')}`), ...(overview.agree ? [] : overview.disagreements.map(line => `! ${line}`)), ...overview.files.flatMap(file => file.warnings.map(warning => `! ${file.file}: ${warning}`))];
  const menuRows = 5;
  const fixed = 2 + overview.files.length + (view.message ? 2 : 0) + menuRows + 1;
  const shownNotes = notes.slice(0, Math.max(0, layout.bodyRows - fixed));
  return (
    <Box flexDirection="column">
      <Line bold>{`CYREN web proxy  (${overview.folder})`}</Line>
      {overview.files.map(file => (
        <Line key={file.file} color={file.status === 'enabled' ? 'green' : file.status === 'partial' ? 'yellow' : undefined}>
          {fileLine(file)}
        </Line>
      ))}
      {shownNotes.map(note => (
        <Line key={note} color={note.startsWith('!') ? 'yellow' : undefined} dimColor={!note.startsWith('!')}>
          {note}
        </Line>
      ))}
      {notes.length > shownNotes.length ? <Text dimColor>{`(${notes.length - shownNotes.length} more notes: nsp-console proxy show)`}</Text> : null}
      {view.message ? (
        <Box marginTop={1}>
          <Text color="yellow" wrap="wrap">
            {maskSecrets(view.message)}
          </Text>
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Menu<OverviewChoice>
          items={[
            {value: 'set', label: 'Set the proxy...', hint: 'server, port, authentication'},
            {value: 'disable', label: 'Turn the proxy off', hint: 'comment the lines out again'},
            {value: 'test', label: 'Test the proxy', hint: 'CONNECT through the proxy in the files'},
            {value: 'restore', label: 'Restore a backup...', hint: 'undo an earlier change'},
            {value: 'back', label: 'Back'},
          ]}
          onSelect={item => onChoose(item.value)}
          onBack={onBack}
        />
      </Box>
    </Box>
  );
}
