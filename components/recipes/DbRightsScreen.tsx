import React, {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {errorMessage} from '../../source/errors.js';
import {firstLines} from '../../source/recipes/output.js';
import {chooseInstance, defaultInstances, describeChoice, fallbackInstance, instanceFromConfig, runRightsScript, runVerification} from '../../source/recipes/db-rights/run-sqlcmd.js';
import {pasteShellFor} from '../../source/recipes/shell-quote.js';
import {buildRightsScript, databaseRoles, selfCheckCommand, validateInstance, validateWindowsLogin, type DatabaseRole} from '../../source/recipes/db-rights/tsql.js';
import {MissingProgramError} from '../../source/system/exec.js';
import {isChar, isDown, isUp} from '../../source/input/keys.js';
import {saveToOutput} from '../../source/system/save-output.js';
import {useKeys} from '../input/key-router.js';
import {useKeyTable} from '../input/key-table.js';
import {useLayout} from '../layout.js';
import {CopyText, rowsFor} from '../widgets/CopyText.js';
import {Menu} from '../widgets/Menu.js';
import {TextField} from '../widgets/TextField.js';
import {Outcome} from './Outcome.js';
import {Lines, Say, Working} from './parts.js';
import type {RecipeScreenProps} from '../screen-types.js';

type View = {kind: 'login'} | {kind: 'role'} | {kind: 'instance'} | {kind: 'instance-lookup'} | {kind: 'ready'; note?: string} | {kind: 'script'} | {kind: 'running'; what: string} | {kind: 'done'; ok: boolean; lines: string[]; copy?: string};

const roles: DatabaseRole[] = ['gateway', 'intranet', 'webportal'];

/** Database rights for another administrator: T-SQL to show, save, or run with sqlcmd and verify. */
export function DbRightsScreen({context, onBack, setKeyHelp}: RecipeScreenProps) {
  const [login, setLogin] = useState('');
  const [role, setRole] = useState<DatabaseRole>('gateway');
  const [instance, setInstance] = useState('');
  const [view, setView] = useState<View>({kind: 'login'});
  // Every view has a key table (field, menu, script, outcome): the help shows exactly those keys.
  useEffect(() => setKeyHelp([]), [setKeyHelp]);

  const header = (
    <Box flexDirection="column">
      <Text bold>Database rights for an additional administrator</Text>
      <Lines lines={['A Windows login with sysadmin, and db_owner in the role database.']} dim />
    </Box>
  );

  if (view.kind === 'login') {
    return (
      <Box flexDirection="column">
        {header}
        <TextField
          label={'Account (DOMAIN\\name)'}
          initialValue={login}
          validate={validateWindowsLogin}
          onSubmit={value => {
            setLogin(value);
            setView({kind: 'role'});
          }}
          onCancel={onBack}
        />
        <Text dimColor>e.g. EXAMPLE\jdoe or SERVER01\NSP-Admins</Text>
      </Box>
    );
  }
  if (view.kind === 'role') {
    return (
      <Box flexDirection="column">
        {header}
        <Lines lines={[`Account: ${login}`]} dim />
        <Text bold>Which role's database?</Text>
        <Menu
          items={roles.map(candidate => ({value: candidate, label: databaseRoles[candidate].label, hint: databaseRoles[candidate].database}))}
          initialIndex={roles.indexOf(role)}
          onBack={() => setView({kind: 'login'})}
          onSelect={item => {
            const chosen = item.value as DatabaseRole;
            setRole(chosen);
            // The menu goes while the instance is looked up: keys typed meanwhile wait for the instance field.
            setView({kind: 'instance-lookup'});
            instanceFromConfig(context.root, chosen).then(found => {
              setInstance(current => (current.length > 0 ? current : (found ?? fallbackInstance)));
              setView({kind: 'instance'});
            });
          }}
        />
      </Box>
    );
  }
  if (view.kind === 'instance-lookup') {
    return (
      <Box flexDirection="column">
        {header}
        <Lines lines={[`Account: ${login}`, `Database: ${databaseRoles[role].database} (${databaseRoles[role].label})`]} dim />
        <HoldKeys />
        <Text dimColor>Reading the role's configuration file...</Text>
      </Box>
    );
  }
  if (view.kind === 'instance') {
    return (
      <Box flexDirection="column">
        {header}
        <Lines lines={[`Account: ${login}`, `Database: ${databaseRoles[role].database} (${databaseRoles[role].label})`]} dim />
        <TextField
          label="SQL Server instance"
          initialValue={instance}
          validate={validateInstance}
          onSubmit={value => {
            setInstance(value);
            setView({kind: 'ready'});
          }}
          onCancel={() => setView({kind: 'role'})}
        />
        <Text dimColor>Pre-filled from the role's configuration file when it names one.</Text>
      </Box>
    );
  }
  // Saved with temp+rename into the output folder (BOM: SQL Server Management Studio reads it as UTF-8).
  const saveScript = () => saveToOutput(context.stateDir, `db-rights-${role}`, 'sql', buildRightsScript(login, role), {platform: context.platform, bom: true});
  if (view.kind === 'script') return <ScriptView script={buildRightsScript(login, role)} onSave={saveScript} onBack={() => setView({kind: 'ready'})} />;
  if (view.kind === 'running') return <Working text={view.what} />;
  if (view.kind === 'done') return <Outcome ok={view.ok} okTitle="Rights set and verified" lines={view.lines} copy={view.copy} maxLines={12} backHint="Enter or Esc: back" onDone={() => setView({kind: 'ready'})} />;

  const {database} = databaseRoles[role];
  const run = () => {
    // The pre-filled default: NoSpamProxy's named instance first, then the default instance.
    const candidates = instance === fallbackInstance ? [...defaultInstances] : [instance];
    setView({kind: 'running', what: `sqlcmd: asking ${candidates.join(', then ')} for its version`});
    (async () => {
      const choice = await chooseInstance(candidates);
      const chosenLines = describeChoice(choice, instance === fallbackInstance ? "NoSpamProxy's default instance" : 'as entered');
      if (!choice.chosen) return setView({kind: 'done', ok: false, lines: chosenLines});
      const used = choice.chosen.instance;
      setView({kind: 'running', what: `sqlcmd on ${used}`});
      const granted = await runRightsScript(context.stateDir, used, login, role, choice.chosen.version?.major);
      if (!granted.ok) return setView({kind: 'done', ok: false, lines: [...chosenLines, `sqlcmd failed (exit ${granted.result.exitCode ?? 'none'}); script: ${granted.scriptPath}`, ...firstLines(granted.result.stderr || granted.result.stdout, 5).split('\n')]});
      setView({kind: 'running', what: 'Verifying'});
      const check = await runVerification(context.stateDir, used, login, role);
      const {sysadmin, dbOwner, tables} = check.verification;
      setView({
        kind: 'done',
        ok: check.ok,
        lines: [
          ...chosenLines,
          `sysadmin server role: ${sysadmin ? 'yes' : 'NO'}`,
          `db_owner in ${database}: ${dbOwner ? 'yes' : 'NO'}`,
          `tables in ${database}: ${tables ?? 'unknown'}`,
          `Last step: log on as ${login} and run this; if it lists tables, access is set up:`,
        ],
        copy: selfCheckCommand(used, role, pasteShellFor(context.platform)),
      });
    })().catch(error =>
      setView({
        kind: 'done',
        ok: false,
        lines: error instanceof MissingProgramError ? ['sqlcmd is not installed here.', 'Save the script and run it in SQL Management Studio, or install the SQL Server command line tools.'] : [errorMessage(error)],
      }),
    );
  };
  return (
    <Box flexDirection="column">
      {header}
      <Lines lines={[`Account: ${login}`, `Database: ${database} (${databaseRoles[role].label})`, `Instance: ${instance} (Windows authentication)`]} />
      <Lines lines={['The script creates the Windows login if missing, adds it to sysadmin,', `creates its user in ${database} if missing, adds it to db_owner.`, 'Running it twice does no harm.']} dim />
      {view.note ? <Lines wrap lines={[view.note]} color="green" /> : null}
      <Box marginTop={1}>
        <Menu
          items={[
            {value: 'view', label: 'Show the T-SQL script'},
            {value: 'save', label: 'Save the script to a file', hint: 'for SQL Management Studio'},
            {value: 'run', label: 'Run it with sqlcmd now', hint: 'then verify'},
            {value: 'change', label: 'Change the values'},
            {value: 'back', label: 'Back'},
          ]}
          onBack={() => setView({kind: 'instance'})}
          onSelect={item => {
            if (item.value === 'back') onBack();
            else if (item.value === 'change') setView({kind: 'login'});
            else if (item.value === 'view') setView({kind: 'script'});
            else if (item.value === 'save') {
              saveScript().then(
                path => setView({kind: 'ready', note: `Saved: ${path}`}),
                error => setView({kind: 'ready', note: `Not saved: ${errorMessage(error)}`}),
              );
            } else run();
          }}
        />
      </Box>
    </Box>
  );
}

/** The script, paged; each line whole (a long one wrapped by the terminal, never cut); s saves it. */
function ScriptView({script, onSave, onBack}: {script: string; onSave: () => Promise<string>; onBack: () => void}) {
  const {bodyRows, columns, terminalColumns} = useLayout();
  const lines = script.replace(/\r\n/g, '\n').trimEnd().split('\n');
  const [saved, setSaved] = useState<{text: string; ok: boolean} | undefined>();
  const savedRows = saved ? Math.ceil(saved.text.length / Math.max(1, columns)) : 0;
  // Rows for the script: the body less the position line and the saved note.
  const window = Math.max(3, bodyRows - 1 - savedRows);
  const rowsOf = (line: string) => (line.length <= columns ? 1 : rowsFor(line, terminalColumns));
  const [top, setTop] = useState(0);
  let bottom = top;
  for (let used = 0; bottom < lines.length && used + rowsOf(lines[bottom]!) <= window; bottom++) used += rowsOf(lines[bottom]!);
  bottom = Math.max(bottom, Math.min(lines.length, top + 1));
  const shown = bottom - top;
  const maxTop = Math.max(0, lines.length - 1);
  const scroll = (to: number) => {
    setSaved(undefined);
    setTop(Math.max(0, Math.min(maxTop, to)));
  };
  useKeyTable([
    {keys: 'Up/Down', does: 'scroll', matches: key => isUp(key) || isDown(key), run: key => scroll(top + (isUp(key) ? -1 : 1)), when: lines.length > shown},
    {keys: 'PgUp/PgDn', does: 'page', matches: key => key.name === 'pageup' || key.name === 'pagedown', run: key => scroll(top + (key.name === 'pageup' ? -shown : shown)), when: lines.length > shown},
    {
      keys: 's',
      does: 'save to a file',
      matches: key => isChar(key, 's'),
      run: () =>
        void onSave().then(
          path => setSaved({text: `Saved: ${path}`, ok: true}),
          error => setSaved({text: `Not saved: ${errorMessage(error)}`, ok: false}),
        ),
    },
    {keys: 'Esc', does: 'back', matches: key => key.name === 'escape' || key.name === 'return' || key.name === 'backspace', run: onBack},
  ]);
  return (
    <Box flexDirection="column">
      <CopyText lines={lines.slice(top, bottom)} />
      {saved ? <Say text={saved.text} color={saved.ok ? 'green' : 'red'} /> : null}
      <Text dimColor>{`lines ${top + 1}-${bottom} of ${lines.length}`}</Text>
    </Box>
  );
}

/** Receives no key but keeps them for the next field (the router holds them while this is on top). */
function HoldKeys() {
  useKeys(() => {}, {holdKeys: true});
  return null;
}
