import {join} from 'node:path';

/** The three CYREN configuration files, when NoSpamProxy ships them, and the service each one belongs to. */
export interface CyrenFileInfo {
  name: 'ctasd.conf' | 'ctipd.conf' | 'ctwsd.conf';
  /** What the daemon does, for messages. */
  role: string;
  /** First NoSpamProxy major version that ships the file. */
  sinceVersion: number;
  sinceLabel: string;
  /** The display name of the Windows service (knowledge base, with its en dash). */
  serviceDisplayName: string;
}

export const cyrenFiles: readonly CyrenFileInfo[] = [
  {name: 'ctasd.conf', role: 'AntiSpam', sinceVersion: 9, sinceLabel: '9.2', serviceDisplayName: 'NoSpamProxy \u2013 CYREN Service'},
  {name: 'ctipd.conf', role: 'IP Reputation', sinceVersion: 12, sinceLabel: '12', serviceDisplayName: 'NoSpamProxy \u2013 CYREN IP Reputation Service'},
  {name: 'ctwsd.conf', role: 'URL Categorization', sinceVersion: 13, sinceLabel: '13', serviceDisplayName: 'NoSpamProxy \u2013 CYREN URL Categorization Service'},
];

export const cyrenFolderName = 'CYREN';

export function cyrenFolder(root: string): string {
  return join(root, cyrenFolderName);
}

export function cyrenFilePath(root: string, file: CyrenFileInfo): string {
  return join(cyrenFolder(root), file.name);
}

/** The major version from "14.0.5.39"; undefined for "unknown". */
export function majorVersion(version: string | undefined): number | undefined {
  const match = /^(\d+)\./.exec(version ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Why a file is missing, in the admin's terms: normal for older versions, a problem otherwise. */
export function explainMissingFile(file: CyrenFileInfo, nspVersion?: string): {normal: boolean; text: string} {
  const major = majorVersion(nspVersion);
  if (file.sinceVersion <= 9) {
    return {normal: false, text: `${file.name} is missing: every NoSpamProxy since 9.2 with the Protection module has it. Is the Protection module installed, and is the data root right?`};
  }
  if (major !== undefined && major < file.sinceVersion) {
    return {normal: true, text: `${file.name} is missing, which is normal: NoSpamProxy ${nspVersion} is older than ${file.sinceLabel}, the first version with the ${file.role} service.`};
  }
  if (major !== undefined) {
    return {normal: false, text: `${file.name} is missing although NoSpamProxy ${nspVersion} should have it (shipped since ${file.sinceLabel}); check the CYREN ${file.role} installation.`};
  }
  return {normal: true, text: `${file.name} is missing; that is normal before NoSpamProxy ${file.sinceLabel} (the ${file.role} service came with ${file.sinceLabel}).`};
}
