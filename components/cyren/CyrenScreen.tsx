import React, {useCallback, useEffect, useRef, useState} from 'react';
import {Box, Text} from 'ink';
import {detectNspVersion} from '../../source/environment.js';
import {errorMessage} from '../../source/errors.js';
import {isDown, isUp, type Key} from '../../source/input/keys.js';
import {ctmailReminder} from '../../source/cyren/proxy-check.js';
import {canKeepPassword, formFromOverview, formToSettings, validateForm, type FormErrors, type FormField, type ProxyForm} from '../../source/cyren/form.js';
import {applyPlanWithRestart, checkWithProgress, restartServicesWithProgress, rollBack, type ApplyOutcome, type ProgressStep} from '../../source/cyren/flow.js';
import type {ProxyChange} from '../../source/cyren/proxy-document.js';
import {activeProxyPassword, formatPlan, listBackupSets, loadCyrenFiles, planProxyChange, restoreBackupSet, summarize, type BackupSet, type CyrenFiles, type ProxyOverview, type ProxyPlan} from '../../source/cyren/proxy-files.js';
import {parsePort} from '../../source/cyren/validate.js';
import {maskSecrets, rememberSecret} from '../../source/system/session-record.js';
import {useKeys} from '../input/key-router.js';
import {useLayout} from '../layout.js';
import {Menu} from '../widgets/Menu.js';
import type {ScreenProps} from '../shell/screen.js';

type View =
  | {kind: 'loading'}
  | {kind: 'error'; message: string}
  | {kind: 'overview'; files: CyrenFiles; overview: ProxyOverview; message?: string}
  | {kind: 'form'; files: CyrenFiles; overview: ProxyOverview; form: ProxyForm; focusSubmit?: boolean}
  | {kind: 'review'; files: CyrenFiles; overview: ProxyOverview; plan: ProxyPlan; form?: ProxyForm}
  | {kind: 'progress'; title: string; steps: ProgressStep[]; running: boolean; outcome?: ApplyOutcome; footer?: string; returnTo?: View}
  | {kind: 'restore'; sets: BackupSet[]}
  | {kind: 'restore-confirm'; set: BackupSet};

/** CYREN web proxy: current state per file, a form, the diff, then write, restart and check. */
export function CyrenScreen({context, back, setKeyHelp}: ScreenProps) {
  const [view, setView] = useState<View>({kind: 'loading'});
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const show = useCallback((next: View) => {
    if (mounted.current) setView(next);
  }, []);

  const reload = useCallback(
    async (message?: string) => {
      try {
        const files = await loadCyrenFiles(context.root, await detectNspVersion(context));
        show({kind: 'overview', files, overview: summarize(files), message});
      } catch (error) {
        show({kind: 'error', message: errorMessage(error)});
      }
    },
    [context, show],
  );
  useEffect(() => {
    void reload();
  }, [reload]);
  useEffect(() => {
    setKeyHelp([
      ['Enter', 'choose / next field / confirm'],
      ['Up/Down, Tab', 'move between fields'],
      ['Space, Left/Right', 'switch NoAuth / Basic'],
      ['Ctrl-U', 'clear the field'],
      ['PgUp/PgDn', 'scroll the change preview'],
      ['y / n', 'write / do not write'],
      ['t', 'test the proxy (review)'],
      ['r', 'roll back after a failed restart'],
    ]);
  }, [setKeyHelp]);

  /** Progress view helpers: steps are updated by id, in order of first appearance. */
  const runWithProgress = useCallback(
    async (title: string, work: (onProgress: (step: ProgressStep) => void) => Promise<{outcome?: ApplyOutcome; footer?: string}>) => {
      let steps: ProgressStep[] = [];
      const onProgress = (step: ProgressStep) => {
        const index = steps.findIndex(existing => existing.id === step.id);
        steps = index >= 0 ? steps.map((existing, i) => (i === index ? step : existing)) : [...steps, step];
        show({kind: 'progress', title, steps, running: true});
      };
      show({kind: 'progress', title, steps, running: true});
      try {
        const {outcome, footer} = await work(onProgress);
        show({kind: 'progress', title, steps, running: false, outcome, footer});
      } catch (error) {
        show({kind: 'progress', title, steps, running: false, footer: `Stopped: ${errorMessage(error)}`});
      }
    },
    [show],
  );

  const plan = (files: CyrenFiles, overview: ProxyOverview, change: ProxyChange, form?: ProxyForm): void => {
    try {
      const result = planProxyChange(files, change);
      if (result.files.length === 0) {
        show({kind: 'overview', files, overview, message: `Nothing to change: ${result.unchanged.join(', ')} already like this.`});
        return;
      }
      show({kind: 'review', files, overview, plan: result, form});
    } catch (error) {
      show({kind: 'overview', files, overview, message: errorMessage(error)});
    }
  };

  const proxyOf = (files: CyrenFiles, form?: ProxyForm) => {
    if (form) {
      const password = form.auth === 'Basic' ? (form.password.length > 0 ? form.password : activeProxyPassword(files)) : undefined;
      return {server: form.server.trim(), port: parsePort(form.port)!, user: form.auth === 'Basic' ? form.user : undefined, password};
    }
    const enabled = files.present.find(file => file.state.status === 'enabled');
    if (!enabled) return undefined;
    const port = parsePort(enabled.state.port ?? '');
    if (port === undefined || !enabled.state.server) return undefined;
    const basic = enabled.state.auth?.toLowerCase() === 'basic';
    return {server: enabled.state.server, port, user: basic ? enabled.state.user : undefined, password: basic ? activeProxyPassword({...files, present: [enabled]}) : undefined};
  };

  const write = (current: Extract<View, {kind: 'review'}>) => {
    void runWithProgress(current.plan.change.kind === 'set' ? 'Setting the proxy' : 'Turning the proxy off', async onProgress => {
      const outcome = await applyPlanWithRestart(context, current.plan, onProgress);
      if (outcome.restartFailed) return {outcome, footer: 'A service did not come back.  r: restore the backups and restart again   Enter: keep'};
      const proxy = current.plan.change.kind === 'set' ? proxyOf(current.files, current.form) : undefined;
      if (proxy) await checkWithProgress(context, proxy, current.files, onProgress);
      return {outcome, footer: 'Enter: back to the overview'};
    });
  };

  const test = (files: CyrenFiles, form: ProxyForm | undefined, returnTo: View) => {
    const proxy = proxyOf(files, form);
    if (!proxy) {
      show({kind: 'overview', files, overview: summarize(files), message: 'No file has the proxy enabled: choose "Set the proxy" and test from the preview (t).'});
      return;
    }
    void runWithProgress('Testing the proxy', async onProgress => {
      await checkWithProgress(context, proxy, files, onProgress);
      return {footer: 'Enter: back'};
    }).then(() => setView(current => (current.kind === 'progress' ? {...current, returnTo} : current)));
  };

  switch (view.kind) {
    case 'loading':
      return <Text>Reading the CYREN files...</Text>;
    case 'error':
      return <ErrorView message={view.message} onBack={back} />;
    case 'overview':
      return (
        <OverviewView
          view={view}
          onBack={back}
          onChoose={choice => {
            if (choice === 'set') show({kind: 'form', files: view.files, overview: view.overview, form: formFromOverview(view.overview)});
            else if (choice === 'disable') plan(view.files, view.overview, {kind: 'disable'});
            else if (choice === 'test') test(view.files, undefined, view);
            else if (choice === 'restore') {
              listBackupSets(context.root).then(
                sets => show(sets.length > 0 ? {kind: 'restore', sets} : {...view, message: 'There are no backups of the CYREN files yet.'}),
                error => show({...view, message: errorMessage(error)}),
              );
            } else back();
          }}
        />
      );
    case 'form':
      return (
        <FormView
          initial={view.form}
          initialFocus={view.focusSubmit ? 'submit' : 'server'}
          keepAllowed={canKeepPassword(view.overview)}
          onCancel={() => show({kind: 'overview', files: view.files, overview: view.overview})}
          onSubmit={form => {
            if (form.password.length > 0) rememberSecret(form.password);
            try {
              const result = planProxyChange(view.files, {kind: 'set', settings: formToSettings(form)});
              if (result.files.length === 0) show({kind: 'overview', files: view.files, overview: view.overview, message: `Nothing to change: ${result.unchanged.join(', ')} already have these settings.`});
              else show({kind: 'review', files: view.files, overview: view.overview, plan: result, form});
            } catch (error) {
              show({kind: 'overview', files: view.files, overview: view.overview, message: errorMessage(error)});
            }
          }}
        />
      );
    case 'review':
      return <ReviewView plan={view.plan} onConfirm={() => write(view)} onCancel={() => show(view.form ? {kind: 'form', files: view.files, overview: view.overview, form: view.form, focusSubmit: true} : {kind: 'overview', files: view.files, overview: view.overview})} onTest={view.plan.change.kind === 'set' ? () => test(view.files, view.form, view) : undefined} />;
    case 'progress':
      return (
        <ProgressView
          view={view}
          onDone={() => (view.returnTo ? show(view.returnTo) : void reload())}
          onRollback={
            view.outcome?.restartFailed
              ? () => {
                  const saved = view.outcome!.saved;
                  void runWithProgress('Rolling back', async onProgress => {
                    const reports = await rollBack(context, saved, onProgress);
                    return {footer: reports.every(report => report.ok) ? 'Rolled back; the services run again.  Enter: back' : 'Rolled back, but a service still does not run: check it in services.msc.  Enter: back'};
                  });
                }
              : undefined
          }
        />
      );
    case 'restore':
      return <RestoreListView sets={view.sets} onBack={() => void reload()} onChoose={set => show({kind: 'restore-confirm', set})} />;
    case 'restore-confirm':
      return (
        <ConfirmRestoreView
          set={view.set}
          onCancel={() => void reload()}
          onConfirm={() => {
            void runWithProgress('Restoring a backup', async onProgress => {
              onProgress({id: 'restore', label: `restore ${view.set.backups.map(entry => basename(entry.original)).join(', ')}`, state: 'running'});
              await restoreBackupSet(view.set);
              onProgress({id: 'restore', label: `restore ${view.set.backups.map(entry => basename(entry.original)).join(', ')}`, state: 'ok', detail: 'the replaced content was backed up too'});
              const reports = await restartServicesWithProgress(context, view.set.backups.map(entry => basename(entry.original)), onProgress, 60_000);
              return {footer: reports.every(report => report.ok) ? 'Enter: back to the overview' : 'A service did not come back; check it.  Enter: back'};
            });
          }}
        />
      );
  }
}

const basename = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** Cuts a line to the terminal width itself, so ASCII mode gets "..." instead of Ink's unicode ellipsis. */
export function fitLine(raw: string, columns: number, ascii: boolean): string {
  // Service display names carry an en dash; ASCII mode (conhost) shows a hyphen instead.
  const text = ascii ? raw.replace(/[\u2010-\u2015\u2212]/g, '-') : raw;
  const width = Math.max(10, columns - 1);
  if (text.length <= width) return text;
  return ascii ? `${text.slice(0, width - 3)}...` : `${text.slice(0, width - 1)}\u2026`;
}

function Line({children, ...props}: {children: string} & Omit<React.ComponentProps<typeof Text>, 'children' | 'wrap'>) {
  const layout = useLayout();
  return (
    <Text wrap="truncate-end" {...props}>
      {fitLine(children, layout.columns, layout.ascii)}
    </Text>
  );
}

function ErrorView({message, onBack}: {message: string; onBack: () => void}) {
  useKeys(key => {
    if (key.name === 'escape' || key.name === 'return' || key.name === 'backspace') onBack();
  });
  return (
    <Box flexDirection="column">
      <Text bold>CYREN proxy settings</Text>
      <Text color="red">{message}</Text>
      <Text dimColor>Esc or Enter: back</Text>
    </Box>
  );
}

type OverviewChoice = 'set' | 'disable' | 'test' | 'restore' | 'back';

function OverviewView({view, onChoose, onBack}: {view: Extract<View, {kind: 'overview'}>; onChoose: (choice: OverviewChoice) => void; onBack: () => void}) {
  const layout = useLayout();
  const {overview} = view;

  const fileLine = (file: ProxyOverview['files'][number]) => {
    const parts: string[] = [file.status];
    if (file.server) parts.push(`${file.server}:${file.port ?? '?'}`);
    if (file.auth) parts.push(file.auth);
    if (file.user) parts.push(`user ${file.user}`);
    if (file.auth?.toLowerCase() === 'basic' || file.passwordSet) parts.push(file.passwordSet ? 'password set' : 'no password');
    return `${file.file.padEnd(11)} ${parts.join('  ')}`;
  };
  const notes = [...overview.missing.map(missing => `${missing.file.padEnd(11)} missing: ${missing.explanation.replace(/^\S+ is missing[,:]?\s*/, '')}`), ...(overview.agree ? [] : overview.disagreements.map(line => `! ${line}`)), ...overview.files.flatMap(file => file.warnings.map(warning => `! ${file.file}: ${warning}`))];
  const menuRows = 5;
  const fixed = 2 + overview.files.length + (view.message ? 2 : 0) + menuRows + 1;
  const shownNotes = notes.slice(0, Math.max(0, layout.bodyRows - fixed));
  return (
    <Box flexDirection="column">
      <Line bold>{`CYREN web proxy  (${overview.folder})`}</Line>
      {overview.files.map(file => (
        <Line key={file.file} color={file.status === 'enabled' ? 'green' : file.status === 'partial' ? 'yellow' : undefined}>
          {fileLine(file)}
        </Line>
      ))}
      {shownNotes.map(note => (
        <Line key={note} color={note.startsWith('!') ? 'yellow' : undefined} dimColor={!note.startsWith('!')}>
          {note}
        </Line>
      ))}
      {notes.length > shownNotes.length ? <Text dimColor>{`(${notes.length - shownNotes.length} more notes: nsp-console proxy show)`}</Text> : null}
      {view.message ? (
        <Box marginTop={1}>
          <Text color="yellow" wrap="wrap">
            {maskSecrets(view.message)}
          </Text>
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Menu<OverviewChoice>
          items={[
            {value: 'set', label: 'Set the proxy...', hint: 'server, port, authentication'},
            {value: 'disable', label: 'Turn the proxy off', hint: 'comment the lines out again'},
            {value: 'test', label: 'Test the proxy', hint: 'CONNECT through the proxy in the files'},
            {value: 'restore', label: 'Restore a backup...', hint: 'undo an earlier change'},
            {value: 'back', label: 'Back'},
          ]}
          onSelect={item => onChoose(item.value)}
          onBack={onBack}
        />
      </Box>
    </Box>
  );
}

const fieldLabels: Record<FormField, string> = {server: 'Proxy server', port: 'Port', auth: 'Authentication', user: 'User name', password: 'Password'};

function FormView({initial, initialFocus, keepAllowed, onSubmit, onCancel}: {initial: ProxyForm; initialFocus: FormField | 'submit'; keepAllowed: boolean; onSubmit: (form: ProxyForm) => void; onCancel: () => void}) {
  const layout = useLayout();
  const [form, setForm] = useState(initial);
  const [focus, setFocus] = useState<FormField | 'submit'>(initialFocus);
  const [touched, setTouched] = useState<Set<FormField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  // Keys of one burst arrive before React re-renders; keep the latest state in refs too.
  const formRef = useRef(form);
  const focusRef = useRef(focus);
  const fields: (FormField | 'submit')[] = form.auth === 'Basic' ? ['server', 'port', 'auth', 'user', 'password', 'submit'] : ['server', 'port', 'auth', 'submit'];
  const errors: FormErrors = validateForm(form, keepAllowed);

  const update = (next: ProxyForm) => {
    formRef.current = next;
    setForm(next);
  };
  const move = (direction: 1 | -1) => {
    const current = focusRef.current;
    const order: (FormField | 'submit')[] = formRef.current.auth === 'Basic' ? ['server', 'port', 'auth', 'user', 'password', 'submit'] : ['server', 'port', 'auth', 'submit'];
    const index = order.indexOf(current);
    const next = order[(index + direction + order.length) % order.length]!;
    if (current !== 'submit') setTouched(previous => new Set(previous).add(current));
    focusRef.current = next;
    setFocus(next);
  };
  const submit = () => {
    setSubmitted(true);
    const problems = validateForm(formRef.current, keepAllowed);
    if (Object.keys(problems).length === 0) onSubmit(formRef.current);
  };

  useKeys(
    (key: Key) => {
      const field = focusRef.current;
      const current = formRef.current;
      if (key.name === 'escape') return onCancel();
      if (isUp(key) && key.name === 'up') return move(-1);
      if ((isDown(key) && key.name === 'down') || key.name === 'tab') return move(1);
      if (key.name === 'return') return field === 'submit' ? submit() : move(1);
      if (field === 'auth') {
        if (key.name === 'space' || key.name === 'left' || key.name === 'right' || (key.name === 'char' && /^[bn]$/i.test(key.input))) {
          const auth = key.name === 'char' ? (/^b$/i.test(key.input) ? 'Basic' : 'NoAuth') : current.auth === 'Basic' ? 'NoAuth' : 'Basic';
          update({...current, auth});
        }
        return;
      }
      if (field === 'submit') return;
      if (key.ctrl && key.input === 'u') return update({...current, [field]: ''});
      if (key.name === 'backspace' || key.name === 'delete') return update({...current, [field]: [...current[field]].slice(0, -1).join('')});
      if ((key.name === 'char' && !key.ctrl) || key.name === 'space') update({...current, [field]: current[field] + key.input});
    },
    {capturesText: true},
  );

  const labelWidth = 19;
  const valueWidth = Math.max(10, layout.columns - labelWidth - 4);
  const shown = (field: FormField): string => {
    const value = form[field];
    if (field === 'password') return value.length > 0 ? '*'.repeat(Math.min(value.length, valueWidth)) : keepAllowed ? '(empty = keep the current password)' : '';
    if (field === 'auth') return form.auth === 'Basic' ? '( ) NoAuth  (*) Basic' : '(*) NoAuth  ( ) Basic';
    return value.length > valueWidth ? `...${value.slice(-(valueWidth - 3))}` : value;
  };
  return (
    <Box flexDirection="column">
      <Text bold>Set the CYREN web proxy</Text>
      <Text dimColor>Up/Down or Tab: field  Enter: next  Space: NoAuth/Basic  Esc: cancel</Text>
      {fields.map(field => {
        if (field === 'submit') {
          return (
            <Box key="submit" marginTop={1}>
              <Text inverse={focus === 'submit'} bold>
                {' Preview the change '}
              </Text>
              {submitted && Object.keys(errors).length > 0 ? <Text color="red">{'  fix the fields marked !'}</Text> : null}
            </Box>
          );
        }
        const error = errors[field];
        const showError = error !== undefined && (submitted || touched.has(field));
        return (
          <Box key={field} flexDirection="column">
            <Box>
              <Text color={focus === field ? 'cyan' : undefined} bold={focus === field}>
                {`${focus === field ? '>' : ' '} ${fieldLabels[field]}:`.padEnd(labelWidth)}
              </Text>
              <Text dimColor={field === 'password' && form.password.length === 0}>{shown(field)}</Text>
              {focus === field && field !== 'auth' ? <Text inverse> </Text> : null}
            </Box>
            {showError ? (
              <Line color="red">
                {`    ! ${error}`}
              </Line>
            ) : null}
          </Box>
        );
      })}
    </Box>
  );
}

function ReviewView({plan, onConfirm, onCancel, onTest}: {plan: ProxyPlan; onConfirm: () => void; onCancel: () => void; onTest?: () => void}) {
  const layout = useLayout();
  const lines = formatPlan(plan).map(line => maskSecrets(line));
  const pageSize = Math.max(3, layout.bodyRows - 4);
  const [offset, setOffset] = useState(0);
  const maxOffset = Math.max(0, lines.length - pageSize);
  useKeys(key => {
    if (key.name === 'char' && /^y$/i.test(key.input)) onConfirm();
    else if (key.name === 'return') onConfirm();
    else if (key.name === 'escape' || (key.name === 'char' && /^n$/i.test(key.input))) onCancel();
    else if (onTest && key.name === 'char' && /^t$/i.test(key.input)) onTest();
    else if (key.name === 'pagedown' || key.name === 'space') setOffset(current => Math.min(maxOffset, current + pageSize));
    else if (key.name === 'pageup') setOffset(current => Math.max(0, current - pageSize));
    else if (isDown(key)) setOffset(current => Math.min(maxOffset, current + 1));
    else if (isUp(key)) setOffset(current => Math.max(0, current - 1));
  });
  const visible = lines.slice(offset, offset + pageSize);

  return (
    <Box flexDirection="column">
      <Text bold>{`Preview: ${plan.change.kind === 'set' ? 'set the proxy' : 'turn the proxy off'} (password masked)`}</Text>
      {visible.map((line, index) => (
        <Line key={`${offset + index}`} color={/^\s*\d+ \+/.test(line) ? 'green' : /^\s*\d+ -/.test(line) ? 'red' : undefined} bold={!/^\s/.test(line)}>
          {line}
        </Line>
      ))}
      {lines.length > pageSize ? <Text dimColor>{`lines ${offset + 1}-${Math.min(lines.length, offset + pageSize)} of ${lines.length}  (PgUp/PgDn, Up/Down)`}</Text> : null}
      <Text>{`y/Enter: write, back up, restart the services   ${onTest ? 't: test first   ' : ''}n/Esc: back`}</Text>
    </Box>
  );
}

function ProgressView({view, onDone, onRollback}: {view: Extract<View, {kind: 'progress'}>; onDone: () => void; onRollback?: () => void}) {
  const layout = useLayout();
  useKeys(
    key => {
      if (onRollback && key.name === 'char' && /^r$/i.test(key.input)) onRollback();
      else if (key.name === 'return' || key.name === 'escape') onDone();
    },
    {isActive: !view.running},
  );

  const hasCheck = view.steps.some(step => step.id === 'check');
  const rows: {text: string; color?: string; dim?: boolean}[] = [];
  for (const step of view.steps) {
    const mark = step.state === 'ok' ? '[ok]' : step.state === 'failed' ? '[!!]' : step.state === 'skipped' ? '[--]' : '[..]';
    rows.push({text: `${mark} ${maskSecrets(step.label)}`, color: step.state === 'ok' ? 'green' : step.state === 'failed' ? 'red' : undefined});
    if (step.detail) rows.push({text: `     ${maskSecrets(step.detail)}`, dim: true});
  }
  const reserved = 2 + (hasCheck && !view.running ? 2 : 0) + (view.footer ? 2 : 0);
  const visible = rows.slice(-Math.max(1, layout.bodyRows - reserved));
  return (
    <Box flexDirection="column">
      <Text bold>{`${view.title}${view.running ? '...' : ''}`}</Text>
      {visible.map((row, index) => (
        <Line key={index} color={row.color} dimColor={row.dim}>
          {row.text}
        </Line>
      ))}
      {hasCheck && !view.running ? (
        <Text wrap="wrap" dimColor>
          {ctmailReminder}
        </Text>
      ) : null}
      {view.footer ? (
        <Line color={view.outcome?.restartFailed ? 'yellow' : undefined}>
          {maskSecrets(view.footer)}
        </Line>
      ) : null}
    </Box>
  );
}

function RestoreListView({sets, onChoose, onBack}: {sets: BackupSet[]; onChoose: (set: BackupSet) => void; onBack: () => void}) {
  const layout = useLayout();
  return (
    <Box flexDirection="column">
      <Text bold>Restore a backup (newest first)</Text>
      <Line dimColor>
        Each backup is the content before a change; the current files are backed up first.
      </Line>
      <Menu
        items={sets.map(set => ({value: set.stamp, label: formatStamp(set.stamp), hint: set.backups.map(entry => basename(entry.original)).join(', ')}))}
        maxRows={Math.max(3, layout.bodyRows - 3)}
        onSelect={item => onChoose(sets.find(set => set.stamp === item.value)!)}
        onBack={onBack}
      />
    </Box>
  );
}

function formatStamp(stamp: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(-\d+)?$/.exec(stamp);
  return match ? `${match[1]}-${match[2]}-${match[3]} ${match[4]}:${match[5]}:${match[6]}${match[7] ? ` (${match[7].slice(1)})` : ''}` : stamp;
}

function ConfirmRestoreView({set, onConfirm, onCancel}: {set: BackupSet; onConfirm: () => void; onCancel: () => void}) {
  useKeys(key => {
    if (key.name === 'return' || (key.name === 'char' && /^y$/i.test(key.input))) onConfirm();
    else if (key.name === 'escape' || (key.name === 'char' && /^n$/i.test(key.input))) onCancel();
  });
  return (
    <Box flexDirection="column">
      <Text bold>{`Restore the backup of ${formatStamp(set.stamp)}?`}</Text>
      {set.backups.map(entry => (
        <Line key={entry.path}>{`  ${basename(entry.original)}  <-  ${basename(entry.path)}`}</Line>
      ))}
      <Text>The services of these files are restarted afterwards.</Text>
      <Text>y/Enter: restore   n/Esc: back</Text>
    </Box>
  );
}
