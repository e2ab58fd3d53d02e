import {stat} from 'node:fs/promises';
import {bytesWritten, snapshotLocation, totalBytes} from './snapshot.js';
import type {LocationSnapshot, RoleDefinition} from './types.js';

/** What the admin sees while logging is on: per role, files and recent growth. */
export interface RoleActivity {
  role: string;
  files: number;
  /** Bytes written since logging went on (relative to the first sample). */
  bytesSinceStart: number;
  /** Bytes written in the last `recentWindowMs`. */
  bytesRecent: number;
  /** Epoch ms of the last growth seen, if any. */
  lastGrowthAt?: number;
  /** The location is gone (deleted, unmounted). */
  missing: boolean;
}

interface Sample {
  at: number;
  sizes: LocationSnapshot;
}

export const recentWindowMs = 5_000;

/**
 * Polls each role's log location (cheap: readdir + stat) and keeps a short history, so the screen can
 * show bytes written in the last seconds and warn when nothing is written at all.
 */
export class LocationWatcher {
  private samples = new Map<string, Sample[]>();
  private first = new Map<string, LocationSnapshot>();
  private lastGrowth = new Map<string, number>();
  private missing = new Map<string, boolean>();
  private timer: NodeJS.Timeout | undefined;
  private listeners = new Set<() => void>();
  readonly startedAt: number;

  constructor(
    private readonly roles: readonly Pick<RoleDefinition, 'name' | 'location'>[],
    private readonly now: () => number,
    baseline?: Record<string, LocationSnapshot>,
  ) {
    this.startedAt = now();
    for (const role of roles) if (baseline?.[role.name]) this.first.set(role.name, baseline[role.name]!);
  }

  start(intervalMs = 1_000): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async sample(): Promise<void> {
    const at = this.now();
    for (const role of this.roles) {
      let exists = true;
      try {
        exists = (await stat(role.location)).isDirectory();
      } catch {
        exists = false;
      }
      this.missing.set(role.name, !exists);
      const sizes = exists ? await snapshotLocation(role.location).catch(() => ({})) : {};
      if (!this.first.has(role.name)) this.first.set(role.name, sizes);
      const history = this.samples.get(role.name) ?? [];
      const previous = history.at(-1);
      if (previous && bytesWritten(previous.sizes, sizes) > 0) this.lastGrowth.set(role.name, at);
      if (!previous && bytesWritten(this.first.get(role.name), sizes) > 0) this.lastGrowth.set(role.name, at);
      history.push({at, sizes});
      while (history.length > 2 && history[1]!.at <= at - recentWindowMs) history.shift();
      this.samples.set(role.name, history);
    }
    for (const listener of this.listeners) listener();
  }

  activity(): RoleActivity[] {
    return this.roles.map(role => {
      const history = this.samples.get(role.name) ?? [];
      const latest = history.at(-1);
      const oldest = history.find(sample => sample.at >= (latest?.at ?? 0) - recentWindowMs) ?? history[0];
      return {
        role: role.name,
        files: Object.keys(latest?.sizes ?? {}).length,
        bytesSinceStart: bytesWritten(this.first.get(role.name), latest?.sizes),
        bytesRecent: oldest && latest ? bytesWritten(oldest.sizes, latest.sizes) : 0,
        lastGrowthAt: this.lastGrowth.get(role.name),
        missing: this.missing.get(role.name) ?? false,
      };
    });
  }

  /** True when a role has written nothing for `quietMs` since watching began. */
  isQuiet(role: string, quietMs: number): boolean {
    const last = this.lastGrowth.get(role) ?? this.startedAt;
    return this.now() - last >= quietMs;
  }

  totalNow(role: string): number {
    return totalBytes(this.samples.get(role)?.at(-1)?.sizes);
  }
}
