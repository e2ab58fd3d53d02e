import React, {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {loadSettings, settingsPath, updateSettings} from '../../source/settings.js';
import {toolVersion} from '../../source/version.js';
import {errorMessage} from '../../source/errors.js';
import {durationWords} from '../../source/local-time.js';
import {parseWait, timingsFromSettings} from '../../source/logflow/options.js';
import {checkOutputFolderText, ensureWritableFolder, outputFolder} from '../../source/system/save-output.js';
import {defaultStateDir} from '../../source/context.js';
import {readJournal} from '../../source/logflow/journal.js';
import {isEnded} from '../../source/logflow/machine.js';
import {stateDirPointerPath, writeStateDirPointer} from '../../source/state-dir-pointer.js';
import {Menu} from '../widgets/Menu.js';
import {TextField} from '../widgets/TextField.js';
import {useLayout} from '../layout.js';
import {useAppControls} from './app-controls.js';
import type {ScreenProps} from '../screen-types.js';

/** The wait the screen accepts: at least 10 s (time to write anything), at most 24 h (the flow's bound). */
export const minWaitMs = 10_000;

/** Why a typed wait is refused (one line), or undefined; e.g. "5m", "90s", "1h30m". */
export function checkWait(text: string): string | undefined {
  try {
    const ms = parseWait(text, 'Wait');
    return ms < minWaitMs ? `Wait: at least 10s (got ${text.trim()}).` : undefined;
  } catch (error) {
    return errorMessage(error);
  }
}

/** ASCII mode, the log flow's wait, and the paths and version the admin may need to tell support. */
export function SettingsScreen({context, back, setKeyHelp}: ScreenProps) {
  const layout = useLayout();
  const controls = useAppControls();
  const [message, setMessage] = useState<{text: string; ok: boolean} | undefined>();
  const [waitMs, setWaitMs] = useState<number | undefined>();
  const [editing, setEditing] = useState<'wait' | 'output' | 'state' | undefined>();
  const [output, setOutput] = useState(() => outputFolder(context.stateDir));
  useEffect(() => setKeyHelp([['Enter', 'toggle / change']]), [setKeyHelp]);
  useEffect(() => {
    loadSettings(context.stateDir).then(
      settings => {
        try {
          setWaitMs(timingsFromSettings(settings).waitMs);
        } catch (error) {
          setMessage({text: errorMessage(error), ok: false});
        }
      },
      error => setMessage({text: errorMessage(error), ok: false}),
    );
  }, [context.stateDir]);
  const saveOutput = (text: string) => {
    setEditing(undefined);
    const folder = text.trim();
    // Created when missing and proven writable before it is saved; then temp+rename under the lock.
    ensureWritableFolder(folder)
      .then(() => updateSettings(context.stateDir, settings => ({...settings, output: folder})))
      .then(
        () => {
          setOutput(folder);
          setMessage({text: `Output folder: ${folder} (saved)`, ok: true});
        },
        error => setMessage({text: `Not saved: ${folder}: ${errorMessage(error)}`, ok: false}),
      );
  };
  const saveStateDir = (text: string) => {
    setEditing(undefined);
    const folder = text.trim();
    const pointer = stateDirPointerPath(defaultStateDir(context.env, context.platform));
    // A troubleshooting run's journal stays behind in this state dir: the next start would not see it
    // (nor turn its logging off), so the switch waits until the run has ended.
    readJournal(context.stateDir)
      .then(journal => {
        if (journal && !isEnded(journal.state)) throw new Error('a troubleshooting run is not finished in this state dir; finish or recover it first');
        return ensureWritableFolder(folder);
      })
      .then(() => writeStateDirPointer(pointer, folder))
      .then(
        () => {
          const overridden = context.stateDirFrom === 'flag' ? '; --state-dir still wins while given' : context.stateDirFrom === 'env' ? '; NSP_CONSOLE_STATE_DIR still wins while set' : '';
          setMessage({text: `State dir from the next start: ${folder} (saved in ${pointer}; nothing is copied there${overridden})`, ok: true});
        },
        error => setMessage({text: `Not changed: ${errorMessage(error)}`, ok: false}),
      );
  };
  const saveWait = (text: string) => {
    setEditing(undefined);
    const ms = parseWait(text.trim(), 'Wait');
    // Written with temp+rename under the settings lock; other keys of settings.json stay as they are.
    updateSettings(context.stateDir, settings => ({...settings, logflow: {...(settings.logflow as object | undefined), wait: text.trim()}})).then(
      () => {
        setWaitMs(ms);
        setMessage({text: `Wait after reproducing: ${durationWords(ms)} (saved)`, ok: true});
      },
      error => setMessage({text: `Not saved: ${errorMessage(error)}`, ok: false}),
    );
  };
  return (
    <Box flexDirection="column">
      <Text bold>Settings & about</Text>
      <Text>{`nsp-console ${toolVersion}  ${layout.ascii ? '|' : '·'}  Node ${process.version}`}</Text>
      <Text wrap="wrap">{`Settings: ${settingsPath(context.stateDir)}`}</Text>
      <Text wrap="wrap">{`Output folder: ${output}`}</Text>
      <Text wrap="wrap">{`Data root: ${context.root}${context.isDemo ? ' (demo sandbox copy)' : ''}`}</Text>
      <Text wrap="wrap">{`State dir: ${context.stateDir}`}</Text>
      <Box marginTop={1} flexDirection="column">
        {editing === 'wait' ? (
          <TextField label="Wait after reproducing (e.g. 5m, 90s; 10s-24h)" initialValue={waitMs === undefined ? '5m' : waitText(waitMs)} validate={checkWait} onSubmit={saveWait} onCancel={() => setEditing(undefined)} />
        ) : editing === 'output' ? (
          <TextField label="Output folder (ZIPs, saved commands)" initialValue={output} validate={checkOutputFolderText} onSubmit={saveOutput} onCancel={() => setEditing(undefined)} />
        ) : editing === 'state' ? (
          <TextField label="State dir from the next start (settings, journal, output)" initialValue={context.stateDir} validate={checkOutputFolderText} onSubmit={saveStateDir} onCancel={() => setEditing(undefined)} />
        ) : (
          <Menu
            items={[
              {value: 'ascii', label: `ASCII mode: ${layout.ascii ? 'on' : 'off'}`, hint: 'for consoles that draw box characters badly'},
              {value: 'wait', label: `Wait after reproducing: ${waitMs === undefined ? '...' : durationWords(waitMs)}`, hint: 'troubleshooting logs'},
              {value: 'output', label: 'Change the output folder', hint: 'ZIPs, saved commands'},
              {value: 'state', label: 'Change the state dir', hint: 'from the next start'},
              {value: 'back', label: 'Back'},
            ]}
            onBack={back}
            onOtherKey={() => setMessage(undefined)}
            onSelect={item => {
              setMessage(undefined);
              if (item.value === 'back') return back();
              if (item.value === 'wait' || item.value === 'output' || item.value === 'state') return setEditing(item.value);
              const ascii = !layout.ascii;
              controls.setAscii(ascii);
              updateSettings(context.stateDir, settings => ({...settings, ascii}))
                .then(() => setMessage({text: `ASCII mode ${ascii ? 'on' : 'off'} (saved)`, ok: true}))
                .catch(error => setMessage({text: `Not saved: ${errorMessage(error)}`, ok: false}));
            }}
          />
        )}
      </Box>
      {message ? (
        <Text color={message.ok ? 'green' : 'red'} wrap="wrap">
          {message.text}
        </Text>
      ) : null}
    </Box>
  );
}

/** "5m", "90s", "1h30m": a wait as the field takes it. */
function waitText(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds % 60 !== 0) return `${seconds}s`;
  const minutes = seconds / 60;
  return minutes % 60 === 0 ? `${minutes / 60}h` : minutes > 60 ? `${Math.floor(minutes / 60)}h${minutes % 60}m` : `${minutes}m`;
}
