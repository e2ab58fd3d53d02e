import type {ServiceControl} from './service-control.js';
import {SandboxServiceControl} from './sandbox-services.js';
import {WindowsServiceControl} from './windows-services.js';

/**
 * Windows service control, one module per concern: the interface and name matching
 * (service-control.ts), PowerShell on a real server (windows-services.ts), a JSON file for the demo
 * and tests (sandbox-services.ts), restart with dependents (service-restart.ts). This module picks
 * the implementation and re-exports the rest, so callers import from one place.
 */

export * from './service-control.js';
export * from './service-restart.js';
export {SandboxServiceControl, defaultSandboxServices, sandboxServicesFile, type SandboxServiceRecord, type SandboxServicesState} from './sandbox-services.js';
export {WindowsServiceControl, encodePowerShell, parseServiceJson, powershellScripts} from './windows-services.js';

export interface ServiceHost {
  platform: NodeJS.Platform;
  isDemo: boolean;
  root: string;
}

/** Windows services on a real Windows installation; the sandbox file everywhere else (demo, tests, --root on Linux). */
export function serviceControlFor(context: ServiceHost): ServiceControl {
  return context.platform === 'win32' && !context.isDemo ? new WindowsServiceControl() : new SandboxServiceControl(context.root);
}
