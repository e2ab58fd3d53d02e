import React from 'react';
import type {ConsoleContext} from '../../source/context.js';
import {backFromPick, type PickTarget} from './bundle-state.js';
import {FilePicker} from './FilePicker.js';
import type {Bundle} from './use-bundle.js';

const titles: Record<PickTarget, string> = {'message-tracks': 'Message tracks (JSON)', attachments: 'Screenshots & attachments', 'queue-files': 'Queue / on-hold files', 'eventlog-file': 'Exported event log'};

/** Files for one item (message tracks, attachments, queue files, an exported event log). */
export function PickView({bundle, context, target, startFolder}: {bundle: Bundle; context: ConsoleContext; target: PickTarget; startFolder?: string}) {
  const {request} = bundle.state;
  const current = target === 'message-tracks' ? request.messageTracks : target === 'attachments' ? request.attachments : target === 'queue-files' ? request.queueFiles : request.eventLogFile ? [request.eventLogFile] : [];
  const done = (paths: string[]) => {
    if (target === 'message-tracks') bundle.update({messageTracks: paths}, ['message-tracks']);
    else if (target === 'attachments') bundle.update({attachments: paths}, ['attachments']);
    else if (target === 'queue-files') bundle.update({queueFiles: paths}, ['queues']);
    else bundle.update({eventLogFile: paths[0]}, ['eventlog']);
    bundle.show(backFromPick(target));
  };
  return (
    <FilePicker
      title={titles[target]}
      startFolder={startFolder}
      stateDir={context.stateDir}
      extensions={target === 'message-tracks' ? ['.json'] : target === 'eventlog-file' ? ['.evtx', '.csv', '.txt', '.xml'] : undefined}
      multiple={target !== 'eventlog-file'}
      initialSelection={current}
      onDone={done}
      onCancel={() => bundle.show(backFromPick(target))}
    />
  );
}
