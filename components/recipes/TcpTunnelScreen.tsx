import React, {useCallback, useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {errorMessage} from '../../source/errors.js';
import {applyTunnelChange, gatewayServiceName, type StepEvent, type TunnelApplyResult} from '../../source/recipes/tcp-tunnel/apply-tunnel.js';
import {describeTunnelState} from '../../source/recipes/tcp-tunnel/tunnel-edit.js';
import {gatewayConfigPath, planTunnelChange, readTunnelFile, type TunnelFile, type TunnelMode, type TunnelPlan} from '../../source/recipes/tcp-tunnel/tunnel-file.js';
import {describeEncoding} from '../../source/system/text-document.js';
import {useKeys} from '../input/key-router.js';
import {Menu} from '../widgets/Menu.js';
import {TunnelChecklist} from './TunnelChecklist.js';
import type {RecipeScreenProps} from '../screen-types.js';
import {Confirm, Lines, MarkedLine, Say, Working} from './parts.js';

type View =
  | {kind: 'loading'}
  | {kind: 'overview'; file?: TunnelFile; problem?: string}
  | {kind: 'confirm'; plan: TunnelPlan}
  | {kind: 'running'; mode: TunnelMode; steps: StepEvent[]}
  | {kind: 'result'; mode: TunnelMode; result: TunnelApplyResult}
  | {kind: 'checklist'};

/** TCP proxy tunnel: status, enable/disable with stop-edit-start-verify, then the manual checklist. */
export function TcpTunnelScreen({context, onBack, setKeyHelp}: RecipeScreenProps) {
  const [view, setView] = useState<View>({kind: 'loading'});
  const [restart, setRestart] = useState(true);
  const [message, setMessage] = useState<string | undefined>();
  const path = gatewayConfigPath(context.root);

  const reload = useCallback(() => {
    setView({kind: 'loading'});
    readTunnelFile(path).then(
      file => setView({kind: 'overview', file}),
      error => setView({kind: 'overview', problem: errorMessage(error)}),
    );
  }, [path]);
  useEffect(reload, [reload]);
  useEffect(() => setKeyHelp([['Up/Down', 'move'], ['Enter', 'choose'], ['Esc', 'back']]), [setKeyHelp]);

  const prepare = (mode: TunnelMode) => {
    setMessage(undefined);
    planTunnelChange(mode, path).then(
      plan => (plan.edit.changed ? setView({kind: 'confirm', plan}) : (setMessage(plan.edit.summary), reload())),
      error => setView({kind: 'overview', problem: errorMessage(error)}),
    );
  };

  const run = (plan: TunnelPlan) => {
    const steps: StepEvent[] = [];
    setView({kind: 'running', mode: plan.mode, steps: []});
    applyTunnelChange(plan, {
      services: context.services,
      restart,
      onStep: event => {
        steps.push(event);
        setView({kind: 'running', mode: plan.mode, steps: [...steps]});
      },
    }).then(
      result => setView({kind: 'result', mode: plan.mode, result}),
      error => setView({kind: 'overview', problem: errorMessage(error)}),
    );
  };

  if (view.kind === 'loading') return <Working text="Reading Gateway Role.config" />;
  if (view.kind === 'checklist') return <TunnelChecklist context={context} onBack={reload} setKeyHelp={setKeyHelp} />;
  if (view.kind === 'confirm') {
    const {plan} = view;
    return (
      <Box flexDirection="column">
        <Text bold>{plan.mode === 'enable' ? 'Enable the TCP proxy tunnel' : 'Disable the TCP proxy tunnel'}</Text>
        <Lines wrap lines={[plan.edit.summary]} />
        <Lines lines={[`Line ${plan.edit.line}:`, ...plan.edit.before.slice(0, 3).map(line => `- ${line}`), ...plan.edit.after.slice(0, 4).map(line => `+ ${line}`)]} dim />
        <Lines
          lines={
            restart
              ? [`Stops ${gatewayServiceName}, backs up and edits the file,`, 'starts the service, re-reads the file and checks the value was kept.', ...(context.isDemo ? ['(Demo sandbox: the service is simulated.)'] : [])]
              : ['Edit only: the gateway role service must be STOPPED while the file', 'is edited, and started afterwards (by you).']
          }
        />
        <Box marginTop={1}>
          <Confirm question="Go ahead?" yes={plan.mode === 'enable' ? 'Yes, enable it' : 'Yes, disable it'} onAnswer={yes => (yes ? run(plan) : reload())} />
        </Box>
      </Box>
    );
  }
  if (view.kind === 'running' || view.kind === 'result') {
    const steps = view.kind === 'running' ? view.steps : view.result.steps;
    const shown = collapse(steps);
    return (
      <Box flexDirection="column">
        <Text bold>{view.mode === 'enable' ? 'Enabling the TCP proxy tunnel' : 'Disabling the TCP proxy tunnel'}</Text>
        {shown.map((step, index) => (
          <MarkedLine key={index} mark={step.status} text={`${step.step}: ${step.message}`} />
        ))}
        {view.kind === 'running' ? <Working text="Working" /> : <ResultFooter mode={view.mode} result={view.result} onDone={next => (next === 'checklist' ? setView({kind: 'checklist'}) : reload())} />}
      </Box>
    );
  }
  const {file, problem} = view;
  const items = [
    {value: 'enable', label: 'Enable the tunnel', hint: restart ? 'stop, edit, start, verify' : 'edit only'},
    {value: 'disable', label: 'Disable the tunnel', hint: restart ? 'stop, edit, start, verify' : 'edit only'},
    {value: 'restart', label: `Restart the service: ${restart ? 'yes' : 'no (edit only)'}`, hint: 'Enter toggles'},
    {value: 'checklist', label: 'Remaining manual steps', hint: 'SPF, root CA, SMTP server name'},
    {value: 'back', label: 'Back'},
  ];
  return (
    <Box flexDirection="column">
      <Text bold>TCP proxy tunnel (port 25 blocked by the provider)</Text>
      <Lines wrap lines={['Mail leaves over port 443 to proxy.nospamproxy.de, which delivers on port 25.']} dim />
      <Lines wrap lines={[`${path}${file ? ` (${describeEncoding(file.document.encoding)})` : ''}`]} dim />
      {file ? <Lines wrap lines={[describeTunnelState(file.state)]} color={file.state.enabled ? 'green' : undefined} /> : null}
      {file?.state.warning ? <Lines wrap lines={[file.state.warning]} color="yellow" /> : null}
      {problem ? <Say color="red" text={problem} /> : null}
      {message ? <Lines wrap lines={[message]} color="green" /> : null}
      <Box marginTop={1}>
        <Menu
          items={items}
          onBack={onBack}
          onSelect={item => {
            if (item.value === 'back') onBack();
            else if (item.value === 'restart') setRestart(current => !current);
            else if (item.value === 'checklist') setView({kind: 'checklist'});
            else prepare(item.value as TunnelMode);
          }}
        />
      </Box>
    </Box>
  );
}

/** One line per step: the latest event of each. */
function collapse(steps: readonly StepEvent[]): StepEvent[] {
  const latest = new Map<string, StepEvent>();
  for (const step of steps) latest.set(step.step, step);
  return [...latest.values()];
}

function ResultFooter({mode, result, onDone}: {mode: TunnelMode; result: TunnelApplyResult; onDone: (next: 'checklist' | 'overview') => void}) {
  const next = result.ok && mode === 'enable' ? 'checklist' : 'overview';
  useKeys(key => {
    if (key.name === 'return' || key.name === 'escape') onDone(key.name === 'escape' ? 'overview' : next);
  });
  return (
    <Box flexDirection="column" marginTop={1}>
      {result.ok ? <Text color="green">{mode === 'enable' ? 'The tunnel is enabled and the value survived the start.' : 'The tunnel is disabled.'}</Text> : null}
      {result.problems.map((problem, index) => (
        <Say key={index} color="red" text={problem} />
      ))}
      <Text dimColor>{next === 'checklist' ? 'Enter: the remaining manual steps  Esc: overview' : 'Enter or Esc: back to the overview'}</Text>
    </Box>
  );
}
