import React, {useState} from 'react';
import {Box, Text} from 'ink';
import {formatBytes} from '../../source/archive/zip-writer.js';
import type {WrittenBundle} from '../../source/bundle/write.js';
import {errorMessage} from '../../source/errors.js';
import {isChar} from '../../source/input/keys.js';
import {saveToOutput} from '../../source/system/save-output.js';
import {useKeyTable} from '../input/key-table.js';
import {glyphs, useLayout} from '../layout.js';
import {CopyText} from '../widgets/CopyText.js';

/** The verify command for a written bundle, as the admin pastes it (PowerShell and cmd take the quotes). */
export function verifyCommand(path: string): string {
  return `nsp-console bundle verify "${path}"`;
}

/** The bundle is written: where, what is in it, and the verify command to copy (never broken), s saves it. */
export function BundleDone({written, stateDir, platform, onBack}: {written: WrittenBundle; stateDir: string; platform?: NodeJS.Platform; onBack: () => void}) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  const [saved, setSaved] = useState<{text: string; ok: boolean} | undefined>();
  const command = verifyCommand(written.path);
  useKeyTable(
    [
      {
        keys: 's',
        does: 'save the command to a file',
        matches: key => isChar(key, 's'),
        run: () =>
          void saveToOutput(stateDir, 'bundle-verify', 'txt', command, {platform}).then(
            path => setSaved({text: `Saved: ${path}`, ok: true}),
            error => setSaved({text: `Not saved: ${errorMessage(error)}`, ok: false}),
          ),
      },
      {keys: 'Enter', does: 'back to the checklist', matches: key => key.name === 'return' || key.name === 'escape', run: onBack},
    ],
    {onOtherKey: () => setSaved(undefined)},
  );
  const redactions = written.manifest.entries.reduce((sum, entry) => sum + entry.redactions, 0);
  const truncated = written.manifest.entries.filter(entry => entry.truncated).length;
  return (
    <Box flexDirection="column">
      <Text bold color="green">{`${g.ok} Support bundle written`}</Text>
      <Text wrap="wrap">{written.path}</Text>
      <Text>{`${written.manifest.entries.length} entries + manifest.json, ${formatBytes(written.bytes)}, ${redactions} value(s) redacted${truncated ? `, ${truncated} truncated` : ''}`}</Text>
      <Text>{`${written.manifest.skipped.length} item(s)/file(s) skipped (listed in manifest.json)`}</Text>
      <Text dimColor>Check it with:</Text>
      {/* Whole, on its own line(s): the terminal wraps it, so a copy is one command. */}
      <CopyText lines={[command]} />
      {saved ? (
        <Text color={saved.ok ? 'green' : 'red'} wrap="wrap">
          {saved.text}
        </Text>
      ) : null}
    </Box>
  );
}
