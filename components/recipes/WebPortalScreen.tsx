import React, {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {errorMessage} from '../../source/errors.js';
import {assess, restartNote, type Assessment, type Scenario} from '../../source/recipes/webportal/assessment.js';
import {readAllRegistryValues, registryValues, type RegistryReading, type ValueId} from '../../source/recipes/webportal/registry-values.js';
import {applyFixes, defaultHostNames, parseHostNames} from '../../source/recipes/webportal/webportal-check.js';
import {MissingProgramError} from '../../source/system/exec.js';
import {useKeyTable} from '../input/key-table.js';
import {CopyText} from '../widgets/CopyText.js';
import {Menu} from '../widgets/Menu.js';
import {TextField} from '../widgets/TextField.js';
import {Confirm, Lines, MarkedLine, Working} from './parts.js';
import type {RecipeScreenProps} from '../screen-types.js';

type View =
  | {kind: 'scenario'}
  | {kind: 'hosts'}
  | {kind: 'reading'}
  | {kind: 'report'; readings: Record<ValueId, RegistryReading>; assessment: Assessment; applied?: {description: string; ok: boolean; message?: string}[]}
  | {kind: 'confirm'; assessment: Assessment}
  | {kind: 'applying'}
  | {kind: 'error'; lines: string[]};

const scenarioItems: {value: string; label: string; hint: string}[] = [
  {value: 'same-system', label: 'WebPortal on the same system as a role', hint: 'KB926642'},
  {value: 'outside-domain', label: 'WebPortal in the DMZ / outside the domain', hint: 'KB951016'},
  {value: 'both', label: 'Both', hint: 'KB926642 and KB951016'},
];

/** WebPortal integration: which scenario, what the registry says, what is missing, reg add on request. */
export function WebPortalScreen({context, onBack, setKeyHelp}: RecipeScreenProps) {
  const [scenarios, setScenarios] = useState<Scenario[]>([]);
  const [hostText, setHostText] = useState(defaultHostNames(context).join(', '));
  const [hostNames, setHostNames] = useState<string[]>([]);
  const [view, setView] = useState<View>({kind: 'scenario'});
  // Every view has a key table (menu, field, confirmation, error): the help shows exactly those keys.
  useEffect(() => setKeyHelp([]), [setKeyHelp]);

  const check = (chosen: Scenario[], names: string[], applied?: {description: string; ok: boolean; message?: string}[]) => {
    setView({kind: 'reading'});
    readAllRegistryValues().then(
      readings => setView({kind: 'report', readings, assessment: assess(chosen, readings, names, context.hostName), applied}),
      error =>
        setView({
          kind: 'error',
          lines:
            error instanceof MissingProgramError
              ? ['"reg" is not available here: the WebPortal checks read the Windows registry.', context.isDemo ? 'Demo sandbox: run the console on the Windows server with the WebPortal.' : 'Run the console on the Windows server with the WebPortal.']
              : [errorMessage(error)],
        }),
    );
  };

  if (view.kind === 'scenario') {
    return (
      <Box flexDirection="column">
        <Text bold>WebPortal integration checks</Text>
        <Lines lines={['Registry settings outside NoSpamProxy that the WebPortal needs.', 'Nothing is changed without your confirmation.']} dim />
        <Box marginTop={1} flexDirection="column">
          <Text bold>Which scenario applies?</Text>
          <Menu
            items={scenarioItems}
            onBack={onBack}
            onSelect={item => {
              const chosen: Scenario[] = item.value === 'both' ? ['same-system', 'outside-domain'] : [item.value as Scenario];
              setScenarios(chosen);
              if (chosen.includes('same-system')) setView({kind: 'hosts'});
              else check(chosen, []);
            }}
          />
        </Box>
      </Box>
    );
  }
  if (view.kind === 'hosts') {
    return (
      <Box flexDirection="column">
        <Text bold>Host names for BackConnectionHostNames (KB926642, method 1)</Text>
        <Lines lines={['The names the WebPortal and the roles use for this server (FQDN and short', 'name), comma-separated.']} dim />
        <TextField
          label="Host names"
          initialValue={hostText}
          validate={value => {
            try {
              parseHostNames(value);
              return undefined;
            } catch (error) {
              return (error as Error).message;
            }
          }}
          onSubmit={value => {
            const names = parseHostNames(value);
            setHostText(value);
            setHostNames(names);
            check(scenarios, names);
          }}
          onCancel={() => setView({kind: 'scenario'})}
        />
      </Box>
    );
  }
  if (view.kind === 'reading') return <Working text="Reading the registry (reg query)" />;
  if (view.kind === 'applying') return <Working text="Changing the registry (reg add)" />;
  if (view.kind === 'error') return <ErrorView lines={view.lines} onDone={() => setView({kind: 'scenario'})} />;
  if (view.kind === 'confirm') {
    return (
      <Box flexDirection="column">
        <Text bold>Set the recommended values</Text>
        <CopyText lines={view.assessment.fixes.map(fix => `reg ${fix.args.join(' ')}`)} />
        <Lines wrap lines={[restartNote]} color="yellow" />
        <Box marginTop={1}>
          <Confirm
            question="Change the registry?"
            yes="Yes, run reg add"
            onAnswer={yes => {
              if (!yes) return check(scenarios, hostNames);
              setView({kind: 'applying'});
              applyFixes(view.assessment.fixes).then(applied => check(scenarios, hostNames, applied));
            }}
          />
        </Box>
      </Box>
    );
  }
  const {readings, assessment, applied} = view;
  return (
    <Box flexDirection="column">
      <Text bold>WebPortal integration: registry</Text>
      <Lines
        lines={Object.values(readings).map(reading => {
          const spec = registryValues[reading.id];
          return `${spec.name} = ${reading.present ? `${(reading.data ?? []).join(', ') || '(empty)'} (${reading.type})` : reading.error ? `unreadable: ${reading.error}` : 'not set'}`;
        })}
        dim
      />
      {assessment.findings.map((finding, index) => (
        <MarkedLine key={index} mark={finding.status} text={`${finding.article}: ${finding.message}`} />
      ))}
      {applied?.map((step, index) => <MarkedLine key={`a${index}`} mark={step.ok ? 'done' : 'failed'} text={`${step.description}${step.message ? `: ${step.message}` : ''}`} />)}
      {applied?.some(step => step.ok) ? <Lines wrap lines={[restartNote]} color="yellow" /> : null}
      <Box marginTop={1}>
        <Menu
          items={[
            ...(assessment.fixes.length > 0 ? [{value: 'fix', label: 'Set the recommended values...', hint: `${assessment.fixes.length} reg command${assessment.fixes.length > 1 ? 's' : ''}`}] : []),
            {value: 'again', label: 'Check again'},
            {value: 'scenario', label: 'Another scenario'},
            {value: 'back', label: 'Back'},
          ]}
          onBack={onBack}
          onSelect={item => {
            if (item.value === 'back') onBack();
            else if (item.value === 'again') check(scenarios, hostNames);
            else if (item.value === 'scenario') setView({kind: 'scenario'});
            else setView({kind: 'confirm', assessment});
          }}
        />
      </Box>
    </Box>
  );
}

function ErrorView({lines, onDone}: {lines: string[]; onDone: () => void}) {
  useKeyTable([{keys: 'Enter/Esc', does: 'back', matches: key => key.name === 'return' || key.name === 'escape', run: onDone}]);
  return (
    <Box flexDirection="column">
      <Text bold color="red">
        Cannot check
      </Text>
      <Lines wrap lines={lines} />
    </Box>
  );
}
