import React, {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {errorMessage} from '../../source/errors.js';
import {azureRuleExplanation, buildAzureRdnsPlan, validateDnsName, validatePublicIpName, validateResourceGroup, validateReverseFqdn, type AzureRdnsPlan} from '../../source/recipes/azure-rdns/azure-command.js';
import {precheckAzure, precheckLines, runAzureUpdate, type AzurePrecheck} from '../../source/recipes/azure-rdns/run-azure.js';
import {firstLines} from '../../source/recipes/output.js';
import {MissingProgramError} from '../../source/system/exec.js';
import {saveToOutput} from '../../source/system/save-output.js';
import {isChar} from '../../source/input/keys.js';
import {useKeyTable} from '../input/key-table.js';
import {CopyText} from '../widgets/CopyText.js';
import {Menu} from '../widgets/Menu.js';
import {Form, type FormField} from './Form.js';
import {Outcome} from './Outcome.js';
import {Lines, Say, Working} from './parts.js';
import type {RecipeScreenProps} from '../screen-types.js';

type View =
  | {kind: 'form'}
  | {kind: 'plan'; plan: AzureRdnsPlan}
  | {kind: 'checking'; plan: AzureRdnsPlan}
  | {kind: 'precheck'; plan: AzureRdnsPlan; precheck: AzurePrecheck}
  | {kind: 'updating'; plan: AzureRdnsPlan}
  | {kind: 'done'; ok: boolean; lines: string[]}
  /** az is not here: the command to copy into Cloud Shell, with save. */
  | {kind: 'copy'; plan: AzureRdnsPlan};

const fields: FormField[] = [
  {key: 'resourceGroup', label: 'Resource group', hint: 'The resource group of the public IP address resource.', validate: validateResourceGroup},
  {key: 'publicIpName', label: 'Public IP name', hint: 'The name of the public IP address resource (not the address).', validate: validatePublicIpName},
  {key: 'reverseFqdn', label: 'Reverse FQDN (MX name)', hint: 'e.g. mail.example.com - it must already resolve to this IP (A or CNAME).', validate: validateReverseFqdn},
  {key: 'dnsName', label: 'DNS name label (optional)', hint: 'Only when the IP has no DNS name label yet: 3-63 of a-z 0-9 -. Empty otherwise.', validate: validateDnsName},
];

/** Azure reverse DNS: a form that builds the correct az command; runs it when az is there. */
export function AzureRdnsScreen({context, onBack, setKeyHelp}: RecipeScreenProps) {
  const [values, setValues] = useState<Record<string, string>>({resourceGroup: '', publicIpName: '', reverseFqdn: '', dnsName: ''});
  const [view, setView] = useState<View>({kind: 'form'});
  // "Saved: <path>" or why not; the next key makes it stale.
  const [saved, setSaved] = useState<{text: string; ok: boolean} | undefined>();
  const save = (plan: AzureRdnsPlan) => {
    setSaved(undefined);
    saveToOutput(context.stateDir, 'azure-rdns', 'txt', plan.display, {platform: context.platform}).then(
      path => setSaved({text: `Saved: ${path}`, ok: true}),
      error => setSaved({text: `Not saved: ${errorMessage(error)}`, ok: false}),
    );
  };
  const saveKey = (plan: AzureRdnsPlan) => ({keys: 's', does: 'save to a file', matches: (key: Parameters<typeof isChar>[0]) => isChar(key, 's'), run: () => save(plan)});
  useEffect(() => setKeyHelp([['Enter', 'next field / choose'], ['Up/Down, Tab', 'move between fields'], ['Esc', 'back']]), [setKeyHelp]);

  const failed = (error: unknown, plan?: AzureRdnsPlan) =>
    plan && error instanceof MissingProgramError ? setView({kind: 'copy', plan}) : setView({
      kind: 'done',
      ok: false,
      lines: error instanceof MissingProgramError ? ['The Azure CLI (az) is not installed here.', 'Copy the command into Azure Cloud Shell (shell.azure.com) instead.'] : errorMessage(error).split('\n'),
    });

  if (view.kind === 'form') {
    return (
      <Box flexDirection="column">
        <Text bold>Azure reverse DNS (PTR) for the public IP</Text>
        <Lines lines={azureRuleExplanation} dim />
        <Box marginTop={1} flexDirection="column">
          <Form
            fields={fields}
            initial={values}
            onCancel={onBack}
            onSubmit={next => {
              setValues(next);
              setView({kind: 'plan', plan: buildAzureRdnsPlan({resourceGroup: next.resourceGroup!, publicIpName: next.publicIpName!, reverseFqdn: next.reverseFqdn!, dnsName: next.dnsName})});
            }}
          />
        </Box>
      </Box>
    );
  }
  if (view.kind === 'plan') {
    const {plan} = view;
    return (
      <Box flexDirection="column">
        <Text bold>The command (copy it, or let the console run it)</Text>
        <CopyText lines={[plan.display]} />
        {saved ? <Say text={saved.text} color={saved.ok ? 'green' : 'red'} /> : null}
        <Box marginTop={1}>
          <Lines lines={azureRuleExplanation} dim />
        </Box>
        <Box marginTop={1}>
          <Menu
            items={[
              {value: 'run', label: 'Run it with az', hint: 'checks the IP first'},
              {value: 'edit', label: 'Change the values'},
              {value: 'back', label: 'Back'},
            ]}
            onBack={() => setView({kind: 'form'})}
            extraKeys={[saveKey(plan)]}
            onOtherKey={() => setSaved(undefined)}
            onSelect={item => {
              setSaved(undefined);
              if (item.value === 'back') onBack();
              else if (item.value === 'edit') setView({kind: 'form'});
              else {
                setView({kind: 'checking', plan});
                precheckAzure(plan, context).then(precheck => setView({kind: 'precheck', plan, precheck}), error => failed(error, plan));
              }
            }}
          />
        </Box>
      </Box>
    );
  }
  if (view.kind === 'checking') return <Working text="az network public-ip show" />;
  if (view.kind === 'updating') return <Working text="az network public-ip update" />;
  if (view.kind === 'precheck') {
    const {plan, precheck} = view;
    const blocked = precheck.blockers.length > 0;
    return (
      <Box flexDirection="column">
        <Text bold>Pre-check</Text>
        <Lines wrap lines={[...precheck.notes, ...precheck.checked.map(line => `Checked: ${line}`)]} />
        {precheck.verdict ? (
          <Say text={precheckLines({...precheck, notes: [], checked: [], blockers: []})[0]!} color={precheck.verdict.decision === 'accepts' ? 'green' : precheck.verdict.decision === 'refuses' ? 'yellow' : undefined} />
        ) : null}
        {precheck.blockers.map((blocker, index) => (
          <Say key={`b${index}`} text={`Cannot update: ${blocker}`} color="red" />
        ))}
        <Box marginTop={1}>
          <Menu
            items={[
              ...(blocked ? [] : [{value: 'update', label: precheck.verdict?.decision === 'refuses' ? 'Update anyway' : 'Update the reverse FQDN now'}]),
              {value: 'edit', label: 'Change the values'},
              {value: 'back', label: 'Back'},
            ]}
            onBack={() => setView({kind: 'plan', plan})}
            onSelect={item => {
              if (item.value === 'back') onBack();
              else if (item.value === 'edit') setView({kind: 'form'});
              else {
                setView({kind: 'updating', plan});
                runAzureUpdate(plan, context).then(
                  outcome =>
                    setView({
                      kind: 'done',
                      ok: outcome.ok,
                      lines:
                        outcome.result.exitCode === 0
                          ? [outcome.ok ? `Updated: the reverse FQDN is now ${outcome.reverseFqdnAfter ?? plan.reverseFqdn}` : `az reports the reverse FQDN ${outcome.reverseFqdnAfter}`]
                          : [`az failed (exit ${outcome.result.exitCode ?? 'none'}):`, ...firstLines(outcome.result.stderr || outcome.result.stdout, 5).split('\n')],
                    }),
                  error => failed(error, plan),
                );
              }
            }}
          />
        </Box>
      </Box>
    );
  }
  if (view.kind === 'copy') {
    return <CloudShellCopy plan={view.plan} saved={saved} saveKey={saveKey(view.plan)} onBack={() => (setSaved(undefined), setView({kind: 'plan', plan: view.plan}))} />;
  }
  return <Outcome ok={view.ok} okTitle="Done" lines={view.lines} maxLines={7} backHint="Enter or Esc: back to the form" onDone={() => setView({kind: 'form'})} />;
}

/** az is not installed here: the command to paste into Azure Cloud Shell, whole, and s to save it. */
function CloudShellCopy({plan, saved, saveKey, onBack}: {plan: AzureRdnsPlan; saved?: {text: string; ok: boolean}; saveKey: Parameters<typeof useKeyTable>[0][number]; onBack: () => void}) {
  useKeyTable([saveKey, {keys: 'Enter/Esc', does: 'back', matches: key => key.name === 'return' || key.name === 'escape' || key.name === 'backspace', run: onBack}]);
  return (
    <Box flexDirection="column">
      <Text bold color="yellow">
        The Azure CLI (az) is not installed here
      </Text>
      <Say text="Copy the command into Azure Cloud Shell (shell.azure.com, Bash or PowerShell) and run it there:" />
      <Box marginY={1}>
        <CopyText lines={[plan.display]} />
      </Box>
      {saved ? <Say text={saved.text} color={saved.ok ? 'green' : 'red'} /> : null}
    </Box>
  );
}
