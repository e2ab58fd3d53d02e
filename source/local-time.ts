/**
 * Times as the admin reads them on the server: local time with the zone's name ("14:05:09 CET"),
 * not UTC (which the journal and files keep). The zone is injectable for tests.
 */
export function localTime(iso: string | undefined, options: {timeZone?: string; withDate?: boolean} = {}): string {
  if (!iso) return '?';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '?';
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: options.timeZone,
    hour12: false,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
    ...(options.withDate ? {year: 'numeric', month: '2-digit', day: '2-digit'} : {}),
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find(candidate => candidate.type === type)?.value ?? '';
  const clock = `${part('hour')}:${part('minute')}:${part('second')} ${part('timeZoneName')}`;
  return options.withDate ? `${part('year')}-${part('month')}-${part('day')} ${clock}` : clock;
}

/** "5 min", "90 s", "1 h 30 min": a wait as the admin says it. */
export function durationWords(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120 && seconds % 60 !== 0) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}
