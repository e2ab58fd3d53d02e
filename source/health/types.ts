/** One line of the health view: what was found, and what to do next where. */
export interface HealthLine {
  /** Stable id for scripts, e.g. `service:NetatworkMailGatewayGatewayRole`, `disk`. */
  id: string;
  /** ok: nothing to do; attention: something needs the admin; info: worth knowing; unknown: not checked / no answer. */
  status: 'ok' | 'attention' | 'info' | 'unknown';
  /** What was found, in a few words. */
  text: string;
  /** What to do next (always given for attention and unknown). */
  next?: string;
  /** The console screen or command that does it. */
  screen?: string;
}

export interface HealthSection {
  id: 'services' | 'version' | 'events' | 'disk' | 'logs' | 'logging' | 'cyren' | 'keyservers';
  title: string;
  lines: HealthLine[];
  durationMs: number;
}

export interface HealthReport {
  at: string;
  /** True when any line needs attention. */
  attention: boolean;
  sections: HealthSection[];
  durationMs: number;
}

/** Where the probes run: Windows tools on a real server, the sandbox elsewhere. */
export interface HealthOptions {
  /** Deadline of each probe (default 4 s); a probe that misses it reports "no answer". */
  probeTimeoutMs?: number;
  now?: () => Date;
}
