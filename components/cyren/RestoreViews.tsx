import React, {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {formatBackupPreview, previewBackupSet, type BackupFilePreview} from '../../source/cyren/backup-preview.js';
import type {BackupSet} from '../../source/cyren/proxy-files.js';
import {errorMessage} from '../../source/errors.js';
import {isChar, isDown, isUp} from '../../source/input/keys.js';
import {useKeyTable} from '../input/key-table.js';
import {glyphs, useLayout} from '../layout.js';
import {Menu} from '../widgets/Menu.js';
import {basename, Line} from './Line.js';

/** What a set holds, in one phrase: the same proxy in every file once, else per file. */
function setContents(previews: readonly BackupFilePreview[]): string {
  const distinct = [...new Set(previews.map(preview => preview.contains))];
  return distinct.length === 1 ? distinct[0]! : previews.map(preview => `${basename(preview.file).replace(/\.conf$/, '')}: ${preview.contains}`).join('; ');
}

/** The backup sets, newest first, each with what it holds (proxy, port, auth; never a password). */
export function RestoreListView({sets, onChoose, onBack}: {sets: BackupSet[]; onChoose: (set: BackupSet) => void; onBack: () => void}) {
  const layout = useLayout();
  const [contents, setContents_] = useState<Record<string, string>>({});
  useEffect(() => {
    let live = true;
    void (async () => {
      for (const set of sets) {
        const text = await previewBackupSet(set).then(setContents, error => `unreadable: ${errorMessage(error)}`);
        if (!live) return;
        setContents_(current => ({...current, [set.stamp]: text}));
      }
    })();
    return () => {
      live = false;
    };
  }, [sets]);
  return (
    <Box flexDirection="column">
      <Text bold>Restore a backup (newest first)</Text>
      <Line dimColor>Each backup is the content before a change; the current files are backed up first.</Line>
      <Menu
        items={sets.map(set => ({value: set.stamp, label: formatStamp(set.stamp), hint: contents[set.stamp] ?? set.backups.map(entry => basename(entry.original)).join(', ')}))}
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

/** What restoring changes, file by file (what it holds now and after, the diff, passwords masked); y restores. */
export function ConfirmRestoreView({set, onConfirm, onCancel}: {set: BackupSet; onConfirm: () => void; onCancel: () => void}) {
  const layout = useLayout();
  const [lines, setLines] = useState<string[] | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    previewBackupSet(set).then(
      previews => live && setLines(formatBackupPreview(previews)),
      error => live && setProblem(`Cannot read the backup: ${errorMessage(error)}`),
    );
    return () => {
      live = false;
    };
  }, [set]);
  // The title, the page line, the services note and the key line.
  const pageSize = Math.max(3, layout.bodyRows - 4);
  const [offset, setOffset] = useState(0);
  const all = lines ?? [];
  const maxOffset = Math.max(0, all.length - pageSize);
  const paged = all.length > pageSize;
  useKeyTable([
    // Only an explicit y restores: a stray Enter (key repeat, an SSH burst) must not.
    {keys: 'y', does: 'restore', matches: key => isChar(key, 'y') || isChar(key, 'Y'), run: onConfirm, when: lines !== undefined},
    {keys: 'n/Esc', does: 'back', matches: key => key.name === 'escape' || isChar(key, 'n') || isChar(key, 'N'), run: onCancel},
    {keys: 'PgUp/PgDn', does: 'page', matches: key => key.name === 'pageup' || key.name === 'pagedown', run: key => setOffset(current => (key.name === 'pageup' ? Math.max(0, current - pageSize) : Math.min(maxOffset, current + pageSize))), when: paged},
    {keys: 'Up/Down', does: 'scroll', matches: key => isUp(key) || isDown(key), run: key => setOffset(current => (isUp(key) ? Math.max(0, current - 1) : Math.min(maxOffset, current + 1))), when: paged, helpOnly: true},
  ]);
  return (
    <Box flexDirection="column">
      <Line bold>{`Restore the backup of ${formatStamp(set.stamp)}?`}</Line>
      {problem ? <Text color="red">{problem}</Text> : null}
      {lines === undefined && !problem ? <Text dimColor>{`Reading the backup${glyphs(layout.ascii).ellipsis}`}</Text> : null}
      {all.slice(offset, offset + pageSize).map((line, index) => (
        <Line key={`${offset + index}`} color={/^\s*\d+ \+/.test(line) ? 'green' : /^\s*\d+ -/.test(line) ? 'red' : undefined} bold={!/^\s/.test(line)}>
          {line}
        </Line>
      ))}
      {paged ? <Text dimColor>{`lines ${offset + 1}-${Math.min(all.length, offset + pageSize)} of ${all.length}`}</Text> : null}
      <Line>The services of these files are restarted afterwards (- now, + after).</Line>
    </Box>
  );
}
