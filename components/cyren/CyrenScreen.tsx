import React, {useCallback, useEffect, useRef, useState} from 'react';
import {Text} from 'ink';
import {detectNspVersion} from '../../source/environment.js';
import {errorMessage} from '../../source/errors.js';
import {canKeepPassword, formFromOverview, formToSettings, type ProxyForm} from '../../source/cyren/form.js';
import {applyPlanWithRestart, checkWithProgress, restoreSetWithProgress, rollBack, type ApplyOutcome, type ProgressStep} from '../../source/cyren/flow.js';
import type {ProxyChange} from '../../source/cyren/proxy-document.js';
import {activeProxyPassword, listBackupSets, loadCyrenFiles, planProxyChange, summarize, type BackupSet, type CyrenFiles, type ProxyOverview, type ProxyPlan} from '../../source/cyren/proxy-files.js';
import {parsePort} from '../../source/cyren/validate.js';
import {rememberSecret} from '../../source/system/session-record.js';
import type {ScreenProps} from '../screen-types.js';
import {ErrorView} from './ErrorView.js';
import {OverviewView} from './OverviewView.js';
import {ProgressView, type ProgressState} from './ProgressView.js';
import {ProxyFormView} from './ProxyFormView.js';
import {ConfirmRestoreView, RestoreListView} from './RestoreViews.js';
import {ReviewView} from './ReviewView.js';

type View =
  | {kind: 'loading'}
  | {kind: 'error'; message: string}
  | {kind: 'overview'; files: CyrenFiles; overview: ProxyOverview; message?: string}
  | {kind: 'form'; files: CyrenFiles; overview: ProxyOverview; form: ProxyForm; focusSubmit?: boolean; problem?: string}
  | {kind: 'review'; files: CyrenFiles; overview: ProxyOverview; plan: ProxyPlan; form?: ProxyForm}
  | ({kind: 'progress'; returnTo?: View} & ProgressState)
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
      ['y / n', 'write or restore / do not'],
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
        <ProxyFormView
          initial={view.form}
          initialFocus={view.focusSubmit ? 'submit' : 'server'}
          problem={view.problem}
          keepAllowed={canKeepPassword(view.overview)}
          onCancel={() => show({kind: 'overview', files: view.files, overview: view.overview})}
          onSubmit={form => {
            if (form.password.length > 0) rememberSecret(form.password);
            try {
              const result = planProxyChange(view.files, {kind: 'set', settings: formToSettings(form)});
              if (result.files.length === 0) show({kind: 'overview', files: view.files, overview: view.overview, message: `Nothing to change: ${result.unchanged.join(', ')} already have these settings.`});
              else show({kind: 'review', files: view.files, overview: view.overview, plan: result, form});
            } catch (error) {
              // E.g. a character one file's encoding cannot hold: stay in the form with the values typed.
              show({kind: 'form', files: view.files, overview: view.overview, form, focusSubmit: true, problem: errorMessage(error)});
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
              const reports = await restoreSetWithProgress(context, view.set, onProgress);
              return {footer: reports.every(report => report.ok) ? 'Enter: back to the overview' : 'A service did not come back; check it.  Enter: back'};
            });
          }}
        />
      );
  }
}
