import React, {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {errorMessage} from '../../source/errors.js';
import {certutilArgs, importRootCertificate, loadChecklist, saveChecklist, tunnelChecklist, validateCertificateFile, type ChecklistId} from '../../source/recipes/tcp-tunnel/checklist.js';
import {MissingProgramError} from '../../source/system/exec.js';
import {checkSpf} from '../../source/recipes/tcp-tunnel/spf-check.js';
import {normalizeHostName} from '../../source/recipes/validate.js';
import {useKeyTable} from '../input/key-table.js';
import {CopyText} from '../widgets/CopyText.js';
import {Menu} from '../widgets/Menu.js';
import {TextField} from '../widgets/TextField.js';
import {Confirm, Lines, Say, Working} from './parts.js';
import type {RecipeScreenProps} from '../screen-types.js';

type View = {kind: 'list'} | {kind: 'spf'} | {kind: 'file'; error?: string} | {kind: 'confirm'; file: string} | {kind: 'running'} | {kind: 'result'; ok: boolean; title?: string; lines: string[]};

/** The steps the console cannot do; ticks are kept in settings.json. Offers certutil for the root CA. */
export function TunnelChecklist({context, onBack, setKeyHelp}: RecipeScreenProps) {
  const [ticks, setTicks] = useState<Record<ChecklistId, boolean> | undefined>();
  const [view, setView] = useState<View>({kind: 'list'});
  const [problem, setProblem] = useState<string | undefined>();
  const [lastFile, setLastFile] = useState('');
  useEffect(() => {
    loadChecklist(context.stateDir).then(setTicks, error => setProblem(errorMessage(error)));
  }, [context.stateDir]);
  // Every view has a key table (menu, field, confirmation, result): the help shows exactly those keys.
  useEffect(() => setKeyHelp([]), [setKeyHelp]);

  const toggle = (id: ChecklistId) => {
    if (!ticks) return;
    const next = {...ticks, [id]: !ticks[id]};
    setTicks(next);
    saveChecklist(context.stateDir, next).catch(error => setProblem(`Not saved: ${errorMessage(error)}`));
  };

  if (view.kind === 'spf') {
    return (
      <Box flexDirection="column">
        <Text bold>Check the SPF record of a sending domain</Text>
        <Lines lines={['Looks up the TXT record (read-only) and searches for a:proxy.nospamproxy.de.']} dim />
        <TextField
          label="Domain"
          validate={value => normalizeHostName(value).error}
          onSubmit={value => {
            setView({kind: 'running'});
            checkSpf(value).then(
              result => {
                if (result.includesTunnel && ticks && !ticks.spf) toggle('spf');
                setView({kind: 'result', ok: result.includesTunnel, title: result.includesTunnel ? 'SPF record is right' : 'SPF record needs a change', lines: [...result.records.map(record => `TXT: ${record}`), result.message]});
              },
              error => setView({kind: 'result', ok: false, title: 'SPF record not checked', lines: [errorMessage(error)]}),
            );
          }}
          onCancel={() => setView({kind: 'list'})}
        />
      </Box>
    );
  }
  if (view.kind === 'file') {
    return (
      <Box flexDirection="column">
        <Text bold>Import the TCP proxy root CA certificate</Text>
        <Lines lines={['Into the computer account: Trusted Root Certification Authorities.', 'The file as downloaded (.cer/.crt, PEM or DER).']} dim />
        <TextField
          label="Certificate file"
          initialValue={lastFile}
          validate={value => (value.trim().length === 0 ? 'enter the path of the certificate file' : undefined)}
          onSubmit={value => {
            setLastFile(value);
            validateCertificateFile(value.trim()).then(error => (error ? setView({kind: 'file', error}) : setView({kind: 'confirm', file: value.trim()})));
          }}
          onCancel={() => setView({kind: 'list'})}
        />
        {view.error ? <Say color="red" text={view.error} /> : null}
      </Box>
    );
  }
  if (view.kind === 'confirm') {
    return (
      <Box flexDirection="column">
        <Text bold>Import the root CA certificate</Text>
        <CopyText lines={[`certutil ${certutilArgs(view.file).join(' ')}`]} />
        <Lines lines={['Needs a console run as administrator.']} />
        <Box marginTop={1}>
          <Confirm
            question="Run certutil now?"
            yes="Yes, import it"
            onAnswer={yes => {
              if (!yes) return setView({kind: 'list'});
              setView({kind: 'running'});
              importRootCertificate(view.file).then(
                result =>
                  setView({
                    kind: 'result',
                    ok: result.exitCode === 0,
                    lines: [...(result.stdout + result.stderr).trim().split(/\r?\n/).slice(-6), result.exitCode === 0 ? 'Imported: the step is ticked.' : `certutil failed (exit ${result.exitCode ?? 'none'}).`],
                  }),
                error =>
                  setView({
                    kind: 'result',
                    ok: false,
                    lines: error instanceof MissingProgramError ? ['certutil is not available here (it is part of Windows).', 'Import the certificate on the gateway role server (certlm.msc).'] : [errorMessage(error)],
                  }),
              );
            }}
          />
        </Box>
      </Box>
    );
  }
  if (view.kind === 'running') return <Working text="Working" />;
  if (view.kind === 'result') {
    return (
      <ResultView
        ok={view.ok}
        title={view.title}
        lines={view.lines}
        onDone={() => {
          if (view.ok && !view.title && ticks && !ticks['root-ca']) toggle('root-ca');
          setView({kind: 'list'});
        }}
      />
    );
  }
  if (!ticks) return problem ? <Say color="red" text={problem} /> : <Working text="Loading" />;
  const done = tunnelChecklist.filter(item => ticks[item.id]).length;
  return (
    <Box flexDirection="column">
      <Text bold>{`Remaining manual steps (${done}/${tunnelChecklist.length} done)`}</Text>
      <Menu
        items={[
          ...tunnelChecklist.map(item => ({value: item.id as string, label: `[${ticks[item.id] ? 'x' : ' '}] ${item.title}`})),
          {value: 'check-spf', label: 'Check the SPF record of a domain...'},
          {value: 'certutil', label: 'Import the root CA with certutil...'},
          {value: 'back', label: 'Back'},
        ]}
        onBack={onBack}
        onSelect={item => {
          if (item.value === 'back') onBack();
          else if (item.value === 'certutil') setView({kind: 'file'});
          else if (item.value === 'check-spf') setView({kind: 'spf'});
          else toggle(item.value as ChecklistId);
        }}
      />
      <Box marginTop={1} flexDirection="column">
        {tunnelChecklist.map(item => (
          <Say key={item.id} text={`- ${item.detail}`} />
        ))}
      </Box>
      {problem ? <Say color="red" text={problem} /> : null}
    </Box>
  );
}

function ResultView({ok, title, lines, onDone}: {ok: boolean; title?: string; lines: string[]; onDone: () => void}) {
  useKeyTable([{keys: 'Enter/Esc', does: 'back to the checklist', matches: key => key.name === 'return' || key.name === 'escape', run: onDone}]);
  return (
    <Box flexDirection="column">
      <Text bold color={ok ? 'green' : 'red'}>
        {title ?? (ok ? 'certutil finished' : 'Not imported')}
      </Text>
      <Lines wrap lines={lines} />
    </Box>
  );
}
