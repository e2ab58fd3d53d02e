import {loadSettings} from '../settings.js';

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
