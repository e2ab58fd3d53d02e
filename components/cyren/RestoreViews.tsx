import React from 'react';
import {Box, Text} from 'ink';
import type {BackupSet} from '../../source/cyren/proxy-files.js';
import {useKeys} from '../input/key-router.js';
import {useLayout} from '../layout.js';
import {Menu} from '../widgets/Menu.js';
import {basename, Line} from './Line.js';

/** The backup sets, newest first. */
export function RestoreListView({sets, onChoose, onBack}: {sets: BackupSet[]; onChoose: (set: BackupSet) => void; onBack: () => void}) {
  const layout = useLayout();
  return (
    <Box flexDirection="column">
      <Text bold>Restore a backup (newest first)</Text>
      <Line dimColor>
        Each backup is the content before a change; the current files are backed up first.
      </Line>
      <Menu
        items={sets.map(set => ({value: set.stamp, label: formatStamp(set.stamp), hint: set.backups.map(entry => basename(entry.original)).join(', ')}))}
        maxRows={Math.max(3, layout.bodyRows - 3)}
        onSelect={item => onChoose(sets.find(set => set.stamp === item.value)!)}
        onBack={onBack}
      />
    </Box>
  );
}

export function formatStamp(stamp: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(-\d+)?$/.exec(stamp);
  return match ? `${match[1]}-${match[2]}-${match[3]} ${match[4]}:${match[5]}:${match[6]}${match[7] ? ` (${match[7].slice(1)})` : ''}` : stamp;
}

export function ConfirmRestoreView({set, onConfirm, onCancel}: {set: BackupSet; onConfirm: () => void; onCancel: () => void}) {
  useKeys(key => {
    if (key.name === 'char' && /^y$/i.test(key.input)) onConfirm();
    else if (key.name === 'escape' || (key.name === 'char' && /^n$/i.test(key.input))) onCancel();
  });
  return (
    <Box flexDirection="column">
      <Text bold>{`Restore the backup of ${formatStamp(set.stamp)}?`}</Text>
      {set.backups.map(entry => (
        <Line key={entry.path}>{`  ${basename(entry.original)}  <-  ${basename(entry.path)}`}</Line>
      ))}
      <Text>The services of these files are restarted afterwards.</Text>
      <Text>y: restore   n/Esc: back</Text>
    </Box>
  );
}
