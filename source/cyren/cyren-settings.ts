import {learnResolverLicence} from '../system/secret-registry.js';
import {loadSettings} from '../settings.js';
import type {CyrenFiles} from './proxy-files.js';
import {defaultCheckTarget} from './proxy-check.js';
import {parseTarget} from './validate.js';

/** The "cyren" key of settings.json (all optional). */
export interface CyrenSettings {
  /** host:port the proxy check connects to through the proxy. */
  checkTarget?: string;
  /** How long to wait for a service to stop or start. */
  serviceTimeoutSeconds?: number;
}

export async function loadCyrenSettings(stateDir: string): Promise<CyrenSettings> {
  const settings = await loadSettings(stateDir);
  const value = settings.cyren;
  if (!value || typeof value !== 'object') return {};
  const {checkTarget, serviceTimeoutSeconds} = value as Record<string, unknown>;
  return {
    checkTarget: typeof checkTarget === 'string' ? checkTarget : undefined,
    serviceTimeoutSeconds: typeof serviceTimeoutSeconds === 'number' && serviceTimeoutSeconds > 0 ? serviceTimeoutSeconds : undefined,
  };
}

/**
 * The check target when none is given: settings' checkTarget; else the CYREN server ctasd.conf
 * talks to (`Server_address`, when it is a *.ctmail.com host) on 443; else ctmail.com:443.
 */
export function defaultTarget(settings: CyrenSettings, files?: CyrenFiles): {host: string; port: number} {
  if (settings.checkTarget) {
    const parsed = parseTarget(settings.checkTarget);
    if (typeof parsed !== 'string') return parsed;
  }
  const ctasd = files?.present.find(file => file.info.name === 'ctasd.conf');
  for (const line of ctasd?.document.lines ?? []) {
    const match = /^\s*Server_address\s*=\s*(\S+)\s*$/i.exec(line.text);
    if (match && /(^|\.)ctmail\.com$/i.test(match[1]!)) {
      learnResolverLicence(match[1]!, 'ctasd.conf Server_address (licence key)');
      return {host: match[1]!, port: 443};
    }
  }
  return defaultCheckTarget;
}
