import type {ConsoleContext} from '../context.js';
import {errorMessage} from '../errors.js';
import {withDeadline} from './deadline.js';
import {cyrenProbe, diskProbe, eventsProbe, keyserversProbe, loggingProbe, logsProbe, servicesProbe, versionProbe, type ProbeContext} from './probes.js';
import type {HealthLine, HealthOptions, HealthReport, HealthSection} from './types.js';

export const defaultProbeTimeoutMs = 4_000;

const probes: {id: HealthSection['id']; title: string; run: (probe: ProbeContext) => Promise<HealthLine[]>}[] = [
  {id: 'services', title: 'Services', run: servicesProbe},
  {id: 'version', title: 'Version', run: versionProbe},
  {id: 'events', title: 'Event log (last 24 h)', run: eventsProbe},
  {id: 'disk', title: 'Disk', run: diskProbe},
  {id: 'logs', title: 'Log locations', run: logsProbe},
  {id: 'logging', title: 'Troubleshooting logging', run: loggingProbe},
  {id: 'cyren', title: 'CYREN proxy', run: cyrenProbe},
  {id: 'keyservers', title: 'Key servers', run: keyserversProbe},
];

/** Every probe at once, each under its own deadline; a probe that fails or is late says so in its section. */
export async function runHealth(context: ConsoleContext, options: HealthOptions = {}): Promise<HealthReport> {
  const timeoutMs = options.probeTimeoutMs ?? defaultProbeTimeoutMs;
  const now = options.now?.() ?? new Date();
  const started = performance.now();
  const probe: ProbeContext = {context, timeoutMs, now, windows: context.platform === 'win32' && !context.isDemo};
  const sections = await Promise.all(
    probes.map(async ({id, title, run}): Promise<HealthSection> => {
      const begun = performance.now();
      const lines = await withDeadline(
        run(probe).catch((error: unknown): HealthLine[] => [{id, status: 'unknown', text: `Could not check: ${errorMessage(error)}`, next: 'Check it by hand.'}]),
        // The probe's own commands stop at timeoutMs; a little slack lets them report it themselves.
        timeoutMs + 500,
        (): HealthLine[] => [{id, status: 'unknown', text: `No answer within ${(timeoutMs + 500) / 1000} s.`, next: 'Check it by hand; the server may be under load.'}],
      );
      return {id, title, lines, durationMs: Math.round(performance.now() - begun)};
    }),
  );
  return {at: now.toISOString(), attention: sections.some(section => section.lines.some(line => line.status === 'attention')), sections, durationMs: Math.round(performance.now() - started)};
}

const marks: Record<HealthLine['status'], string> = {ok: 'ok  ', attention: '!!  ', info: '--  ', unknown: '??  '};

/** The report as text lines (the CLI; the screen renders the same lines). */
export function formatHealth(report: HealthReport): string[] {
  const out: string[] = [];
  for (const section of report.sections) {
    out.push(`${section.title}:`);
    for (const line of section.lines) {
      out.push(`  ${marks[line.status]}${line.text}`);
      if (line.next && line.status !== 'ok') out.push(`        next: ${line.next}${line.screen ? ` [${line.screen}]` : ''}`);
    }
  }
  const attention = report.sections.flatMap(section => section.lines).filter(line => line.status === 'attention').length;
  out.push('', attention > 0 ? `${attention} thing${attention === 1 ? '' : 's'} need${attention === 1 ? 's' : ''} attention (!!).` : 'Nothing needs attention.', `Checked in ${report.durationMs} ms.`);
  return out;
}
