import React from 'react';
import type {ScreenProps} from '../screen-types.js';
import {useLayout} from '../layout.js';
import {BundleDone} from './BundleDone.js';
import {BundleErrorView} from './BundleErrorView.js';
import {ChecklistView} from './ChecklistView.js';
import {EventlogView} from './EventlogView.js';
import {LogRunsView} from './LogRunsView.js';
import {PickView} from './PickView.js';
import {QueuesView} from './QueuesView.js';
import {RangeView} from './RangeView.js';
import {SummaryView} from './SummaryView.js';
import {TextEditor} from './TextEditor.js';
import {useBundle} from './use-bundle.js';
import {VersionView} from './VersionView.js';
import {WritingView} from './WritingView.js';

/**
 * The support-data bundle: the checklist, each item's view, the summary, the writing, the result.
 * State and I/O are in useBundle (its reducer in bundle-state.ts); each view is a file with its key table.
 */
export function BundleScreen({context, back}: ScreenProps) {
  const layout = useLayout();
  const bundle = useBundle(context);
  const {view, request, items} = bundle.state;
  switch (view.kind) {
    case 'version':
      return <VersionView bundle={bundle} />;
    case 'description':
    case 'queue-note': {
      const isNote = view.kind === 'queue-note';
      return (
        <TextEditor
          title={isNote ? 'Email queues / emails on hold: what does Monitoring show?' : 'Describe the problem: what happens, since when, who is affected'}
          initialText={(isNote ? request.queueNote : request.description) ?? ''}
          rows={Math.max(3, layout.bodyRows - 3)}
          onSave={text => {
            if (isNote) bundle.update({queueNote: text}, ['queues']);
            else bundle.update({description: text, descriptionFile: undefined, descriptionTyped: true}, ['description']);
            bundle.show(isNote ? {kind: 'queues'} : {kind: 'checklist'});
          }}
          onCancel={() => bundle.show(isNote ? {kind: 'queues'} : {kind: 'checklist'})}
        />
      );
    }
    case 'pick':
      return <PickView bundle={bundle} context={context} target={view.target} startFolder={view.startFolder} />;
    case 'queues':
      return <QueuesView bundle={bundle} />;
    case 'eventlog':
      return <EventlogView bundle={bundle} />;
    case 'range':
      return <RangeView bundle={bundle} field={view.field} />;
    case 'logs':
      return <LogRunsView bundle={bundle} runs={view.runs} />;
    case 'summary':
      return items ? <SummaryView bundle={bundle} items={items} /> : <ChecklistView bundle={bundle} back={back} />;
    case 'writing':
      return <WritingView bundle={bundle} />;
    case 'done':
      return <BundleDone written={view.written} stateDir={context.stateDir} platform={context.platform} onBack={() => bundle.show({kind: 'checklist'})} />;
    case 'error':
      return <BundleErrorView bundle={bundle} message={view.message} />;
    case 'checklist':
      return <ChecklistView bundle={bundle} back={back} />;
  }
}
