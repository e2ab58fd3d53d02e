import type {Subcommand} from './types.js';

export interface SubcommandEntry {
  name: string;
  summary: string;
  /** Loaded only when the command runs, so start-up stays fast. */
  load: () => Promise<Subcommand>;
}

/** Every subcommand; a capability adds one line here. */
export const subcommandEntries: readonly SubcommandEntry[] = [
  {name: 'logflow', summary: 'Troubleshooting logs: run, status, stop', load: async () => (await import('../logflow/command.js')).logflowCommand},
  {name: 'keyserver', summary: 'Key-server (LDAP certificate directory) lookups: list, lookup, test', load: async () => (await import('../keyservers/command.js')).keyserverCommand},
  {name: 'proxy', summary: 'CYREN web proxy settings: show, set, disable, test, restore', load: async () => (await import('../cyren/command.js')).proxyCommand},
  {name: 'bundle', summary: 'Support data bundle: create, verify', load: async () => (await import('../bundle/command.js')).bundleCommand},
  {name: 'recipe', summary: 'Knowledge-base recipes: tcp-tunnel, azure-rdns, db-rights, webportal-check', load: async () => (await import('../recipes/command.js')).recipeCommand},
  {name: 'health', summary: 'Health: services, version, event log, disk, logs, CYREN proxy, key servers', load: async () => (await import('../health/command.js')).healthCommand},
  {name: 'info', summary: 'Environment: data root, host, NoSpamProxy version, files found', load: async () => (await import('./info.js')).infoCommand},
];

export function findSubcommand(name: string): SubcommandEntry | undefined {
  return subcommandEntries.find(entry => entry.name === name);
}
