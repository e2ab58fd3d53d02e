import type {RedactionRule} from './redaction.js';

/** The items support asks for (KB "support data"), in the order they are shown and zipped. */
export const itemIds = ['version', 'description', 'environment', 'config', 'eventlog', 'message-tracks', 'queues', 'logs', 'attachments'] as const;
export type ItemId = (typeof itemIds)[number];

export const itemLabels: Record<ItemId, string> = {
  version: 'NoSpamProxy version',
  description: 'Problem description',
  environment: 'Environment & command record',
  config: 'Configuration (redacted)',
  eventlog: 'Event log warnings/errors',
  'message-tracks': 'Message tracks (JSON)',
  queues: 'Queues / emails on hold',
  logs: 'Troubleshooting logs',
  attachments: 'Screenshots & attachments',
};

/** found: will be zipped; skipped: left out (by choice or because nothing is there); to-enter: needs input. */
export type ItemStatus = 'found' | 'skipped' | 'to-enter';

/** Where the bytes of one ZIP entry come from. */
export type PlannedInput =
  | {kind: 'file'; path: string; size: number}
  | {kind: 'bytes'; data: Buffer}
  | {kind: 'zip-member'; zipPath: string; member: string; size: number};

export interface PlannedEntry {
  /** Path inside the ZIP (short, ASCII, grouped). */
  path: string;
  /** For the manifest: the original file, or how the content was made. */
  source: string;
  input: PlannedInput;
  /** Text entries are redacted (value masking, plus the key rule) and leak-checked; binary ones only leak-checked. */
  text: boolean;
  rule: RedactionRule;
  /** Store uncompressed (already compressed data). */
  store?: boolean;
}

export interface SkippedRecord {
  item: string;
  reason: string;
}

export interface BundleItem {
  id: ItemId;
  label: string;
  status: ItemStatus;
  /** One line: what was found (or why not). */
  summary: string;
  /** More lines (one per message track, per config file, ...). */
  details: string[];
  entries: PlannedEntry[];
  /** Files of this item that were left out, and why. */
  skipped: SkippedRecord[];
}

/** Everything the admin chose, from flags or the screen. */
export interface BundleRequest {
  nspVersion?: string;
  description?: string;
  /** The description was typed in the console's editor (manifest source), not given with --description. */
  descriptionTyped?: boolean;
  descriptionFile?: string;
  /** On Windows the event log is exported for this range; elsewhere an exported file is attached. */
  since?: Date;
  until?: Date;
  eventLogFile?: string;
  messageTracks: string[];
  queueNote?: string;
  queueFiles: string[];
  attachments: string[];
  /** 'latest', a run id, or undefined for none. */
  logs?: string;
  skip: ItemId[];
}

export interface ManifestEntry {
  path: string;
  source: string;
  size: number;
  sha256: string;
  redactions: number;
  truncated: boolean;
}

export interface Manifest {
  tool: {name: string; version: string};
  created: string;
  host: string;
  nspVersion: string;
  entries: ManifestEntry[];
  skipped: SkippedRecord[];
}

export interface BundleLimits {
  /** Bytes stored per file at most (the start of the file is kept). */
  maxFileBytes: number;
  /** Bytes stored in all at most. */
  maxTotalBytes: number;
}

export const defaultLimits: BundleLimits = {maxFileBytes: 256 * 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024 * 1024};
