import React, {useState} from 'react';
import {Box, Text} from 'ink';
import {formatBytes} from '../../source/archive/zip-writer.js';
import type {ControllerView, LogflowController} from '../../source/logflow/controller.js';
import {formatClock, progressBar} from '../../source/logflow/format.js';
import {guidedSteps} from '../../source/logflow/drivers.js';
import {CleanupOffer} from './CleanupOffer.js';
import {LocationSizes} from './LocationSizes.js';
import {allProtocols, protocolLabels, type Protocol, type RoleDefinition} from '../../source/logflow/types.js';
import {isChar, isDown, isUp} from '../../source/input/keys.js';
import {durationWords, localTime} from '../../source/local-time.js';
import {useKeys} from '../input/key-router.js';
import {glyphs, useLayout, useMeasuredHeight} from '../layout.js';
import {wrapWords} from '../text/wrap.js';
import {TextField} from '../widgets/TextField.js';
import {usePager} from '../widgets/use-pager.js';
import {Activity, EscHint, KeysLine, Line, Output, phaseLabels, RoleStates, StepHeader} from './parts.js';
import {useControllerView} from './use-controller.js';

export interface FlowViewProps {
  controller: LogflowController;
  /** The configured roles (step 1). */
  roles: readonly RoleDefinition[];
  /** Saves a changed role list to settings.json "roles". */
  saveRoles?: (roles: RoleDefinition[]) => Promise<void>;
  /** Leave the screen: only offered when logging is off. */
  back: () => void;
}

/** Renders the flow's current phase; each phase has its own keys (one useKeys at a time). */
export function FlowView({controller, roles, saveRoles, back}: FlowViewProps) {
  const view = useControllerView(controller);
  const phase = view.state.phase;
  let body: React.ReactNode;
  switch (phase) {
    case 'choosingRoles':
      body = <ChooseRoles controller={controller} roles={roles} saveRoles={saveRoles} back={back} view={view} />;
      break;
    case 'confirmingSettings':
      body = <ConfirmSettings controller={controller} view={view} />;
      break;
    case 'turningOn':
    case 'turningOff':
      body = <Turning controller={controller} view={view} />;
      break;
    case 'verifyingOn':
    case 'reproducing':
      body = <Watching controller={controller} view={view} />;
      break;
    case 'countingDown':
    case 'confirmingFinish':
      body = <Countdown controller={controller} view={view} />;
      break;
    case 'verifyingOff':
      body = <Busy step={7} view={view} />;
      break;
    case 'stillLogging':
      body = <StillLogging controller={controller} view={view} />;
      break;
    case 'collecting':
      body = <Collecting controller={controller} view={view} />;
      break;
    default:
      body = <CleanupOffer state={view.state}>{note => <Ended controller={controller} view={view} back={back} note={note} />}</CleanupOffer>;
  }
  return (
    <Box flexDirection="column">
      {body}
      {view.notice ? <Text color="red" wrap="wrap">{view.notice}</Text> : null}
      {view.watchdogProblem ? <Line color="yellow">{view.watchdogProblem}</Line> : null}
    </Box>
  );
}

type PhaseProps = {controller: LogflowController; view: ControllerView};

function ChooseRoles({controller, roles: initialRoles, saveRoles, back}: PhaseProps & Pick<FlowViewProps, 'roles' | 'saveRoles' | 'back'>) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  const [roles, setRoles] = useState<RoleDefinition[]>([...initialRoles]);
  const [index, setIndex] = useState(0);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(initialRoles.length === 1 ? [initialRoles[0]!.name] : []));
  const [editing, setEditing] = useState<'new' | 'location' | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  /** Removing a role loses its settings (a script role's hand-written commands): it asks first. */
  const [confirmRemove, setConfirmRemove] = useState<RoleDefinition | undefined>();
  // Room for the header, two notes, the size line (and its warning), the page line and the footer.
  const pageSize = Math.max(3, layout.bodyRows - 10);
  useKeys(
    key => {
      // A message answers the previous key; the next key makes it stale.
      setMessage(undefined);
      if (confirmRemove) {
        setConfirmRemove(undefined);
        if (!isChar(key, 'y')) return setMessage(`Kept "${confirmRemove.name}".`);
        const next = roles.filter(role => role !== confirmRemove);
        saveRoles?.(next).then(
          () => {
            setRoles(next);
            setIndex(0);
            setMessage(`Removed "${confirmRemove.name}" from settings.json.`);
          },
          error => setMessage(`Not saved: ${(error as Error).message}`),
        );
        return;
      }
      if (isUp(key)) setIndex(current => (current - 1 + roles.length) % Math.max(1, roles.length));
      else if (isDown(key)) setIndex(current => (current + 1) % Math.max(1, roles.length));
      else if (key.name === 'pageup') setIndex(current => Math.max(0, current - pageSize));
      else if (key.name === 'pagedown') setIndex(current => Math.min(roles.length - 1, current + pageSize));
      else if (key.name === 'space') {
        const role = roles[index];
        if (!role) return;
        setChosen(current => {
          const next = new Set(current);
          if (next.has(role.name)) next.delete(role.name);
          else next.add(role.name);
          return next;
        });
      } else if (isChar(key, 'A')) setChosen(new Set(roles.map(role => role.name)));
      else if (key.name === 'return') controller.chooseRoles(roles.filter(role => chosen.has(role.name)));
      else if (key.name === 'escape') back();
      else if (isChar(key, 'n') && saveRoles) setEditing('new');
      else if (isChar(key, 'e') && saveRoles && roles[index]) setEditing('location');
      else if (isChar(key, 'x') && saveRoles && roles[index]) {
        if (roles.length > 1) setConfirmRemove(roles[index]);
        else setMessage(`"${roles[index]!.name}" is the only role and stays: add another first (n), or change its location (e).`);
      }
    },
    {isActive: editing === undefined},
  );
  const pageStart = Math.floor(index / pageSize) * pageSize;
  const visible = roles.slice(pageStart, pageStart + pageSize);
  return (
    <Box flexDirection="column">
      <StepHeader step={1} />
      <Line dimColor>{`Repeat for each licensed and active gateway role: choose one or several.`}</Line>
      <Line dimColor>{'guided: you click it in the NoSpamProxy console (the real way: no public cmdlet or file format); script: your own automation'}</Line>
      {visible.map((role, offset) => {
        const selected = pageStart + offset === index;
        return (
          <Line key={role.name} color={selected ? 'cyan' : undefined}>{`${selected ? g.pointer : ' '} [${chosen.has(role.name) ? 'x' : ' '}] ${role.name}  (${role.driver})  ${role.location}`}</Line>
        );
      })}
      {roles.length > pageSize ? <Text dimColor>{`page ${Math.floor(index / pageSize) + 1}/${Math.ceil(roles.length / pageSize)} (PgUp/PgDn)`}</Text> : null}
      <LocationSizes roles={visible} />
      {editing === 'new' ? (
        <NewRole
          existing={roles}
          onCancel={() => setEditing(undefined)}
          onDone={role => {
            const next = [...roles, role];
            void saveRoles!(next).then(
              () => {
                setRoles(next);
                setEditing(undefined);
                setMessage(`Added guided role "${role.name}" to settings.json.`);
              },
              error => {
                setEditing(undefined);
                setMessage(`Not saved: ${(error as Error).message}`);
              },
            );
          }}
        />
      ) : editing === 'location' && roles[index] ? (
        <TextField
          label={`Log location of ${roles[index]!.name}`}
          initialValue={roles[index]!.location}
          validate={value => (value.trim() === '' ? 'A folder is needed.' : undefined)}
          onCancel={() => setEditing(undefined)}
          onSubmit={value => {
            const next = roles.map((role, position) => (position === index ? {...role, location: value.trim()} : role));
            void saveRoles!(next).then(
              () => {
                setRoles(next);
                setEditing(undefined);
                setMessage(`Saved the log location of "${roles[index]!.name}" in settings.json.`);
              },
              error => {
                setEditing(undefined);
                setMessage(`Not saved: ${(error as Error).message}`);
              },
            );
          }}
        />
      ) : confirmRemove ? (
        <Text color="yellow">{`Remove "${confirmRemove.name}" from settings.json?${confirmRemove.driver === 'script' ? ' Its on/off commands are lost.' : ''} y remove, any other key keeps it`}</Text>
      ) : (
        <KeysLine text={`Space choose  A all  Enter continue (${chosen.size} chosen)  n new  e location  x remove  Esc back`} />
      )}
      {message ? <Text color="green">{message}</Text> : null}
    </Box>
  );
}

function NewRole({existing, onDone, onCancel}: {existing: readonly RoleDefinition[]; onDone: (role: RoleDefinition) => void; onCancel: () => void}) {
  const [name, setName] = useState<string | undefined>();
  if (name === undefined) {
    return (
      <TextField
        key="name"
        label="New guided role, name"
        validate={value => (value.trim() === '' ? 'A name is needed.' : existing.some(role => role.name.toLowerCase() === value.trim().toLowerCase()) ? 'That name exists already.' : undefined)}
        onSubmit={value => setName(value.trim())}
        onCancel={onCancel}
      />
    );
  }
  return (
    <TextField
      key="location"
      label="Log location"
      validate={value => (value.trim() === '' ? 'A folder is needed.' : undefined)}
      onSubmit={value => onDone({name, driver: 'guided', location: value.trim()})}
      onCancel={onCancel}
    />
  );
}

function ConfirmSettings({controller, view}: PhaseProps) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  const [protocols, setProtocols] = useState<Set<Protocol>>(() => new Set(view.state.protocols.length > 0 ? view.state.protocols : allProtocols));
  const [locations, setLocations] = useState<Record<string, string>>(() => Object.fromEntries(view.state.roles.map(role => [role.name, role.location])));
  const rows = [...allProtocols.map(protocol => ({kind: 'protocol' as const, protocol})), ...view.state.roles.map(role => ({kind: 'role' as const, role: role.name}))];
  const [index, setIndex] = useState(0);
  const [editing, setEditing] = useState<string | undefined>();
  const [checking, setChecking] = useState(false);
  const maxRoleRows = Math.max(1, layout.bodyRows - 12);
  useKeys(
    key => {
      if (checking) return;
      if (isUp(key)) setIndex(current => (current - 1 + rows.length) % rows.length);
      else if (isDown(key)) setIndex(current => (current + 1) % rows.length);
      else if (key.name === 'space' || isChar(key, 'l')) {
        const row = rows[index]!;
        if (row.kind === 'protocol') {
          setProtocols(current => {
            const next = new Set(current);
            if (next.has(row.protocol)) next.delete(row.protocol);
            else next.add(row.protocol);
            return next;
          });
        } else setEditing(row.role);
      } else if (key.name === 'escape') controller.backToRoles();
      else if (key.name === 'return') {
        setChecking(true);
        const chosen = allProtocols.filter(protocol => protocols.has(protocol));
        const roles = view.state.roles.map(({logging: _logging, problem: _problem, ...role}) => ({...role, location: locations[role.name] ?? role.location}));
        void controller.confirmSettings(chosen, roles).finally(() => setChecking(false));
      }
    },
    {isActive: editing === undefined},
  );
  const roleRows = rows.filter(row => row.kind === 'role');
  const selectedRoleOffset = Math.max(0, index - allProtocols.length);
  const roleStart = Math.floor(selectedRoleOffset / maxRoleRows) * maxRoleRows;
  return (
    <Box flexDirection="column">
      <StepHeader step={2} />
      <Text>{`Wait after reproducing: ${durationWords(view.state.waitMs)}, then logging goes off`}</Text>
      <Text dimColor>Protocols to log (Space toggles):</Text>
      {allProtocols.map((protocol, offset) => (
        <Text key={protocol} color={offset === index ? 'cyan' : undefined}>
          {`${offset === index ? g.pointer : ' '} [${protocols.has(protocol) ? 'x' : ' '}] ${protocolLabels[protocol]}`}
        </Text>
      ))}
      <Text dimColor>Log location per role (Space or l edits):</Text>
      {roleRows.slice(roleStart, roleStart + maxRoleRows).map((row, offset) => {
        const position = allProtocols.length + roleStart + offset;
        const name = row.kind === 'role' ? row.role : '';
        if (editing === name) {
          return (
            <TextField
              key={name}
              label={`${name}`}
              initialValue={locations[name]}
              validate={value => (value.trim() === '' ? 'A folder is needed.' : undefined)}
              onSubmit={value => {
                setLocations(current => ({...current, [name]: value.trim()}));
                setEditing(undefined);
              }}
              onCancel={() => setEditing(undefined)}
            />
          );
        }
        return (
          <Line key={name} color={position === index ? 'cyan' : undefined}>{`${position === index ? g.pointer : ' '} ${name}: ${locations[name]}`}</Line>
        );
      })}
      {roleRows.length > maxRoleRows ? <Text dimColor>{`roles ${roleStart + 1}-${Math.min(roleRows.length, roleStart + maxRoleRows)} of ${roleRows.length}`}</Text> : null}
      <KeysLine text={editing !== undefined ? 'Enter use this location for this run  Esc cancel' : checking ? 'Checking the log locations...' : 'Enter turn logging ON  Esc back to roles'} />
    </Box>
  );
}

function Turning({controller, view}: PhaseProps) {
  const layout = useLayout();
  const on = view.state.phase === 'turningOn';
  const guided = view.guided;
  const [confirmAbort, setConfirmAbort] = useState(false);
  const [escHint, setEscHint] = useState(false);
  const steps = guided ? guidedSteps(view.state.roles.find(role => role.name === guided.role) ?? {name: guided.role, location: ''}, view.state.protocols, guided.turn) : [];
  // The steps get what the rest leaves; wrapped by the console so they can be paged, never cut.
  const [topRef, topHeight] = useMeasuredHeight();
  const [bottomRef, bottomHeight] = useMeasuredHeight();
  const stepLines = steps.flatMap((step, offset) => wrapWords(`${offset + 1}. ${step}`, layout.columns, 3));
  const pager = usePager(stepLines, Math.max(2, layout.bodyRows - topHeight - bottomHeight));
  useKeys(key => {
    if (pager.onKey(key)) return;
    if (on && key.name === 'escape') setEscHint(true);
    // Script role: the running "on" command finishes (or times out), then every role is turned off.
    else if (on && !guided && isChar(key, 'a')) controller.abort();
    else if (guided) {
      if (key.name === 'return') controller.confirmGuided();
      else if (on && isChar(key, 'f')) controller.failGuided('the admin could not turn logging on in the NoSpamProxy console');
      else if (on && isChar(key, 'a')) setConfirmAbort(true);
      else if (confirmAbort && isChar(key, 'y')) controller.abort();
      else if (confirmAbort) setConfirmAbort(false);
    }
  });
  const running = view.state.roles.find(role => role.logging === (on ? 'turningOn' : 'turningOff'));
  return (
    <Box flexDirection="column">
      <Box ref={topRef} flexDirection="column" flexShrink={0}>
        <StepHeader step={on ? 3 : 7} extra={!on && view.state.offReason ? `(${offReasonText[view.state.offReason]})` : undefined} />
        {!on && view.state.error ? <Text color="red">{view.state.error}</Text> : null}
        {/* One guided role: its name is in the steps; the states of several roles are listed. */}
        {!guided || view.state.roles.length > 1 ? <RoleStates roles={view.state.roles} max={guided ? 3 : Math.max(3, layout.bodyRows - 8)} /> : null}
        {guided ? <Text bold>{`Do this now for "${guided.role}":`}</Text> : null}
      </Box>
      {guided ? (
        <Box flexDirection="column">
          {/* Wrapped, never cut: the admin must read every word (role name, location, protocols). */}
          {pager.visible.map((line, offset) => (
            <Text key={offset}>{line}</Text>
          ))}
          {pager.indicator ? <Text dimColor>{pager.indicator}</Text> : null}
          <Box ref={bottomRef} flexDirection="column" flexShrink={0}>
            <KeysLine text={on ? (confirmAbort ? 'Abort and turn logging off again? y = yes, any other key = no' : 'Enter done  f could not do it  a abort') : 'Enter done: logging is off for this role'} />
            <EscHint shown={escHint} />
          </Box>
        </Box>
      ) : (
        <Box flexDirection="column">
          <Text>{view.busy ?? ''}</Text>
          <Output lines={running ? view.output[running.name] : undefined} />
          {on ? <KeysLine text="a abort (logging is turned off once the running command returns)" /> : null}
          <EscHint shown={escHint} />
        </Box>
      )}
    </Box>
  );
}

const offReasonText = {
  countdown: 'time is up',
  finishedEarly: 'finished early',
  aborted: 'aborted',
  error: 'because of an error',
  signal: 'the console is closing',
  watchdog: 'watchdog',
  stop: 'stop command',
  recovery: 'after a restart',
} as const;

function Watching({controller, view}: PhaseProps) {
  const layout = useLayout();
  const verifying = view.state.phase === 'verifyingOn';
  const [escHint, setEscHint] = useState(false);
  useKeys(key => {
    if (key.name === 'escape') setEscHint(true);
    else if (key.name === 'return') {
      if (verifying) controller.confirmActivity();
      else controller.reproduced();
    } else if (isChar(key, 'a')) controller.abort();
  });
  return (
    <Box flexDirection="column">
      <StepHeader step={verifying ? 4 : 5} />
      {verifying ? (
        <Line>{`Logging should be on now. Log files and bytes written:`}</Line>
      ) : (
        <>
          <Text bold color="cyan">Reproduce the problem now</Text>
          <Line>{`(send the mail that fails, retry the delivery...). Press Enter when done.`}</Line>
        </>
      )}
      <Activity view={view} max={Math.max(2, Math.floor((layout.bodyRows - 6) / 2))} />
      <KeysLine text={verifying ? 'Enter logging is on, continue  a abort (turns logging off)' : 'Enter reproduced, start the countdown  a abort (turns logging off)'} />
      <EscHint shown={escHint} />
    </Box>
  );
}

function Countdown({controller, view}: PhaseProps) {
  const layout = useLayout();
  const confirming = view.state.phase === 'confirmingFinish';
  const [escHint, setEscHint] = useState(false);
  // Aborting throws the run away (no ZIP): it asks for y; any other key keeps the countdown.
  const [confirmAbort, setConfirmAbort] = useState(false);
  useKeys(key => {
    if (confirming) {
      if (isChar(key, 'y')) controller.confirmFinish();
      else if (isChar(key, 'n') || key.name === 'escape') controller.cancelFinish();
      return;
    }
    if (confirmAbort) {
      setConfirmAbort(false);
      if (isChar(key, 'y')) controller.abort();
      return;
    }
    if (key.name === 'escape') setEscHint(true);
    else if (isChar(key, '+') || isChar(key, 'e')) controller.extend();
    else if (isChar(key, 'f')) controller.requestFinish();
    else if (isChar(key, 'a')) setConfirmAbort(true);
  });
  const remaining = controller.remainingMs();
  const deadline = view.state.deadline ? Date.parse(view.state.deadline) : 0;
  const started = view.state.countdownStartedAt ? Date.parse(view.state.countdownStartedAt) : deadline - view.state.waitMs;
  const total = Math.max(1, deadline - started);
  const width = Math.max(10, Math.min(50, layout.columns - 20));
  return (
    <Box flexDirection="column">
      <StepHeader step={6} />
      <Text>
        <Text bold>{formatClock(remaining)}</Text>
        {`  left  ${progressBar((total - remaining) / total, width, layout.ascii)}`}
      </Text>
      <Text dimColor>{`Logging is ON since ${localTime(view.state.startedAt)}; it is turned off at ${localTime(view.state.deadline)}.`}</Text>
      <Activity view={view} max={Math.max(2, Math.floor((layout.bodyRows - 6) / 2))} />
      {confirming ? (
        <Text color="yellow" bold>Finish now and turn logging off? y = yes, n = no</Text>
      ) : confirmAbort ? (
        <Text color="yellow" bold wrap="wrap">Abort the run? Logging is turned off now and no ZIP is made. y = abort, any other key keeps the countdown</Text>
      ) : (
        <KeysLine text="+ or e extend 1 min  f finish now  a abort (turns logging off)" />
      )}
      <EscHint shown={escHint && !confirming} />
    </Box>
  );
}

function Busy({step, view}: {step: number; view: ControllerView}) {
  const layout = useLayout();
  useKeys(() => {});
  return (
    <Box flexDirection="column">
      <StepHeader step={step} />
      <RoleStates roles={view.state.roles} max={Math.max(3, layout.bodyRows - 4)} />
      <Text>{view.busy ?? 'Working...'}</Text>
    </Box>
  );
}

function StillLogging({controller, view}: PhaseProps) {
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [showManual, setShowManual] = useState(false);
  useKeys(key => {
    if (confirmLeave) {
      if (isChar(key, 'y')) controller.leaveOn();
      else setConfirmLeave(false);
      return;
    }
    if (isChar(key, 'r')) controller.retryOff();
    else if (isChar(key, 'm')) setShowManual(value => !value);
    else if (isChar(key, 'd')) controller.manualOffConfirmed();
    else if (isChar(key, 'L')) setConfirmLeave(true);
  });
  const stuck = view.state.roles.filter(role => role.logging === 'offFailed');
  const first = stuck[0];
  return (
    <Box flexDirection="column">
      <StepHeader step={7} />
      <Line color="red" bold>{`LOGGING MAY STILL BE ON: ${stuck.map(role => role.name).join(', ')}`}</Line>
      <RoleStates roles={stuck} max={3} />
      {view.state.error ? <Line color="red">{view.state.error}</Line> : null}
      {showManual && first
        ? guidedSteps(first, view.state.protocols, 'off').map((step, offset) => <Text key={offset} wrap="wrap">{`${offset + 1}. ${step}`}</Text>)
        : null}
      {confirmLeave ? (
        <Text color="red" bold>Leave logging ON? Log files are never deleted. y = yes, any key = no</Text>
      ) : (
        <KeysLine text="r retry  m manual steps  d done by hand (verify again)  L leave it on" />
      )}
    </Box>
  );
}

function Collecting({controller, view}: PhaseProps) {
  const layout = useLayout();
  useKeys(key => {
    if (isChar(key, 'a')) controller.abort();
  });
  const progress = view.collect;
  const fraction = progress && progress.bytesTotal > 0 ? progress.bytesIn / progress.bytesTotal : 0;
  return (
    <Box flexDirection="column">
      <StepHeader step={8} />
      <Text color="green">Logging is off for every role.</Text>
      <Text>{`${progressBar(fraction, Math.max(10, Math.min(50, layout.columns - 30)), layout.ascii)} ${progress ? `${progress.entriesDone}/${progress.entriesTotal} file${progress.entriesTotal === 1 ? '' : 's'}, ${formatBytes(progress.bytesIn)}` : ''}`}</Text>
      <KeysLine text="a abort (removes the partial ZIP)" />
    </Box>
  );
}

function Ended({controller, view, back, note}: PhaseProps & {back: () => void; note?: string}) {
  const state = view.state;
  const pending = state.roles.filter(role => role.logging === 'pendingManualOff');
  useKeys(key => {
    if (pending.length > 0 && isChar(key, 'd')) controller.manualOffConfirmed();
    else if (key.name === 'return' || key.name === 'escape') back();
  });
  const headline =
    state.phase === 'finished'
      ? 'Done. Logging is off; the logs of the window are zipped:'
      : state.phase === 'leftOn'
        ? 'Logging was LEFT ON at your request. Turn it off soon: log files are never deleted.'
        : state.phase === 'aborted'
          ? 'Aborted. Logging is off; no ZIP was made.'
          : state.phase === 'stopped'
            ? 'Stopped. Logging was turned off.'
            : 'The run failed; logging was turned off.';
  return (
    <Box flexDirection="column">
      {state.phase === 'finished' ? <StepHeader step={8} extra="(finished)" /> : <Line bold>{`Troubleshooting logs: ${phaseLabels[state.phase]}`}</Line>}
      <Line color={state.phase === 'finished' ? 'green' : state.phase === 'leftOn' ? 'red' : 'yellow'}>{headline}</Line>
      {state.zipPath ? <Text wrap="wrap">{state.zipPath}</Text> : null}
      {state.zipPath ? <Text>{`Size: ${formatBytes(state.zipBytes ?? 0)}  Window: ${localTime(state.startedAt)} - ${localTime(state.endedAt)}`}</Text> : null}
      {state.error ? <Line color="red">{state.error}</Line> : null}
      {note ? <Text wrap="wrap">{note}</Text> : null}
      <RoleStates roles={state.roles} max={4} />
      {pending.length > 0 ? <Line color="red">{`Turn logging off by hand for ${pending.map(role => role.name).join(', ')}, then press d.`}</Line> : null}
      <KeysLine text={pending.length > 0 ? 'd done by hand  Enter/Esc back' : 'Enter/Esc back'} />
    </Box>
  );
}
