import React from 'react';
import {Box, Text, type TextProps} from 'ink';
import {formatBytes} from '../../source/archive/zip-writer.js';
import type {ControllerView} from '../../source/logflow/controller.js';
import {isUncPath} from '../../source/logflow/location-reach.js';
import type {Phase, RunRole} from '../../source/logflow/machine.js';
import {glyphs, useLayout} from '../layout.js';

export const stepTitles: Record<number, string> = {
  1: 'Choose the gateway roles',
  2: 'Protocols and log locations',
  3: 'Turning logging on',
  4: 'Is logging on? Watching the log locations',
  5: 'Reproduce the problem',
  6: 'Waiting while the logs are written',
  7: 'Turning logging off',
  8: 'Collecting the logs into a ZIP',
};

/** The journal's phase in the admin's words (recovery screen). */
export const phaseLabels: Record<Phase, string> = {
  choosingRoles: 'choosing the roles (step 1)',
  confirmingSettings: 'confirming protocols and locations (step 2)',
  turningOn: 'turning logging on (step 3)',
  verifyingOn: 'checking that logging is on (step 4)',
  reproducing: 'reproducing the problem (step 5)',
  countingDown: 'counting down (step 6)',
  confirmingFinish: 'asking "finish now?" (step 6)',
  turningOff: 'turning logging off (step 7)',
  verifyingOff: 'checking that logging is off (step 7)',
  stillLogging: 'logging may still be on (step 7)',
  collecting: 'collecting the ZIP (step 8)',
  finished: 'finished',
  aborted: 'aborted',
  failed: 'failed',
  stopped: 'stopped',
  leftOn: 'logging left on',
};

/** Shown after Esc while logging is on: Esc never leaves then, so say what does. */
export function EscHint({shown}: {shown: boolean}) {
  return shown ? <Line color="yellow">Logging is ON: Esc does not leave. a aborts (turns logging off first).</Line> : null;
}

export function StepHeader({step, extra}: {step: number; extra?: string}) {
  return (
    <Line bold>{`Step ${step}/8  ${stepTitles[step]}${extra ? `  ${extra}` : ''}`}</Line>
  );
}

/** Shows at most `max` items, then "+n more". */
export function limit<T>(items: readonly T[], max: number): {shown: readonly T[]; more: number} {
  if (items.length <= max) return {shown: items, more: 0};
  return {shown: items.slice(0, Math.max(1, max - 1)), more: items.length - Math.max(1, max - 1)};
}

const loggingLabel: Record<RunRole['logging'], string> = {
  neverOn: 'not turned on',
  turningOn: 'turning on...',
  on: 'ON',
  turningOff: 'turning off...',
  off: 'off',
  offFailed: 'STILL ON?',
  pendingManualOff: 'turn off by hand!',
};

/** One line per role: name, driver, logging state, problem. */
export function RoleStates({roles, max}: {roles: readonly RunRole[]; max: number}) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  const {shown, more} = limit(roles, max);
  return (
    <Box flexDirection="column">
      {shown.map(role => {
        const bad = role.problem !== undefined || role.logging === 'offFailed' || role.logging === 'pendingManualOff';
        const text = `${bad ? g.fail : role.logging === 'off' || role.logging === 'on' ? g.ok : ' '.repeat(g.ok.length)} ${role.name} (${role.driver}): ${loggingLabel[role.logging]}${role.problem ? ` - ${role.problem}` : ''}`;
        // A problem is a reason: it wraps, never cut.
        return role.problem ? (
          <Text key={role.name} color="red" wrap="wrap">
            {layout.ascii ? text.replace(/[^\x20-\x7e]/g, '?') : text}
          </Text>
        ) : (
          <Line key={role.name} color={bad ? 'red' : role.logging === 'off' ? 'green' : undefined}>
            {text}
          </Line>
        );
      })}
      {more > 0 ? <Text dimColor>{`  +${more} more roles`}</Text> : null}
    </Box>
  );
}

/** Live log activity per role: files, bytes since "on", bytes in the last seconds, warnings. */
export function Activity({view, max}: {view: ControllerView; max: number}) {
  const {shown, more} = limit(view.activity, max);
  if (view.activity.length === 0) return <Text dimColor>Reading the log locations...</Text>;
  return (
    <Box flexDirection="column">
      {shown.map(activity => {
        const quiet = view.quietRoles.includes(activity.role);
        const location = view.state.roles.find(role => role.name === activity.role)?.location ?? '';
        const text = activity.missing
          ? isUncPath(location)
            ? `${activity.role}: ${location} is UNREACHABLE from here (share it, port 445)`
            : `${activity.role}: the log location is MISSING (deleted or unmounted?)`
          : `${activity.role}: ${activity.files} file${activity.files === 1 ? '' : 's'}, +${formatBytes(activity.bytesSinceStart)} since on, +${formatBytes(activity.bytesRecent)} in the last 5 s`;
        return (
          <Box key={activity.role} flexDirection="column">
            <Line color={activity.missing ? 'red' : activity.bytesRecent > 0 ? 'green' : undefined}>{text}</Line>
            {quiet && !activity.missing ? (
              <Line color="yellow">{`  Nothing written for a while: logging may not be on, or nothing is happening yet.`}</Line>
            ) : null}
          </Box>
        );
      })}
      {more > 0 ? <Text dimColor>{`  +${more} more roles`}</Text> : null}
    </Box>
  );
}

export function Output({lines}: {lines: readonly string[] | undefined}) {
  if (!lines || lines.length === 0) return null;
  return (
    <Box flexDirection="column">
      {lines.slice(-3).map((line, index) => (
        <Line key={index} dimColor>{`  > ${line}`}</Line>
      ))}
    </Box>
  );
}

/** Cuts a line to the terminal width with an ellipsis the ASCII setting allows. */
export function fit(text: string, width: number, ascii: boolean): string {
  if (text.length <= width) return text;
  const ellipsis = ascii ? '...' : '\u2026';
  return `${text.slice(0, Math.max(0, width - ellipsis.length))}${ellipsis}`;
}

/** One line of text that never wraps and never prints a non-ASCII ellipsis in ASCII mode. */
export function Line({children, ...props}: Omit<TextProps, 'wrap' | 'children'> & {children: string}) {
  const layout = useLayout();
  return (
    <Text {...props} wrap="truncate-end">
      {fit(children, layout.columns, layout.ascii)}
    </Text>
  );
}
