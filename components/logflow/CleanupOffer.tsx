import React, {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {deleteCreatedFiles} from '../../source/logflow/cleanup.js';
import {cleanupResultLine, filesWord, prepareCleanupOffer, type CleanupOffer as Offer} from '../../source/logflow/cleanup-offer.js';
import {formatSize} from '../../source/logflow/location-reach.js';
import type {FlowState} from '../../source/logflow/machine.js';
import {useKeyTable} from '../input/key-table.js';
import {useLayout} from '../layout.js';
import {questionKeys} from './guard-keys.js';
import {limit, Line, StepHeader} from './parts.js';

export interface CleanupOfferProps {
  state: FlowState;
  /** The finished screen, given the offer's outcome in one line (undefined: nothing was offered). */
  children: (note: string | undefined) => React.ReactNode;
}

type Stage = {kind: 'checking'} | {kind: 'asking'; files: NonNullable<Offer['files']>; total: number} | {kind: 'deleting'} | {kind: 'done'; note?: string};

/**
 * Step 8 after a finished run: logs are never deleted automatically (the knowledge base's warning),
 * so once the ZIP has been read back this offers to delete the log files the run created, per
 * folder with count and size. Only y deletes; any other key keeps them. While it asks it replaces
 * the finished screen, which then shows the outcome.
 */
export function CleanupOffer({state, children}: CleanupOfferProps) {
  const [stage, setStage] = useState<Stage>({kind: 'checking'});
  // A role still to be turned off by hand keeps the offer away until it is off ("d").
  const settled = state.phase === 'finished' && state.roles.every(role => role.logging === 'off' || role.logging === 'neverOn');
  useEffect(() => {
    if (!settled) return;
    let current = true;
    void prepareCleanupOffer(state).then(
      offer => {
        if (!current) return;
        if (!offer) setStage({kind: 'done'});
        else if (offer.problem !== undefined) setStage({kind: 'done', note: offer.problem});
        else setStage({kind: 'asking', files: offer.files, total: offer.total});
      },
      error => current && setStage({kind: 'done', note: `The log files are kept: ${(error as Error).message}.`}),
    );
    return () => {
      current = false;
    };
    // Asked once per ZIP; the state object changes on every journal write.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled, state.zipPath]);
  if (stage.kind === 'asking') {
    return (
      <Asking
        state={state}
        files={stage.files}
        total={stage.total}
        answer={remove => {
          if (!remove) return setStage({kind: 'done', note: `Kept the ${filesWord(stage.files.length)} this run created (${formatSize(stage.total)}).`});
          setStage({kind: 'deleting'});
          void deleteCreatedFiles(stage.files, state).then(
            results => setStage({kind: 'done', note: cleanupResultLine(results)}),
            error => setStage({kind: 'done', note: `Not deleted: ${(error as Error).message}`}),
          );
        }}
      />
    );
  }
  if (stage.kind === 'deleting') return <Deleting />;
  return <>{children(stage.kind === 'done' ? stage.note : undefined)}</>;
}

function Deleting() {
  useKeyTable([]);
  return <Text>Deleting the log files this run created...</Text>;
}

function Asking({state, files, total, answer}: {state: FlowState; files: NonNullable<Offer['files']>; total: number; answer: (remove: boolean) => void}) {
  const layout = useLayout();
  useKeyTable(questionKeys('delete them', 'keeps them', () => answer(true), () => answer(false)));
  const folders = state.roles
    .map(role => {
      const own = files.filter(file => file.role === role.name);
      return {role: role.name, location: role.location, count: own.length, bytes: own.reduce((sum, file) => sum + file.size, 0)};
    })
    .filter(folder => folder.count > 0);
  const {shown, more} = limit(folders, Math.max(1, layout.bodyRows - 9));
  return (
    <Box flexDirection="column">
      <StepHeader step={8} extra="(finished)" />
      <Line color="green">Done. Logging is off; the logs of the window are zipped:</Line>
      <Text wrap="wrap">{state.zipPath ?? ''}</Text>
      <Line bold>{`Delete the ${filesWord(files.length)} this run created (${formatSize(total)})? The ZIP holds them (read back).`}</Line>
      {shown.map(folder => (
        <Text key={folder.role} wrap="wrap">{`  ${folder.role}: ${filesWord(folder.count)}, ${formatSize(folder.bytes)} in ${folder.location}`}</Text>
      ))}
      {more > 0 ? <Text dimColor>{`  +${more} more folders`}</Text> : null}
      <Line dimColor>Files that existed before the run are never deleted.</Line>
    </Box>
  );
}
