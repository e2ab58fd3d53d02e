import type {ScreenComponent} from '../screen-types.js';

export type MenuEntryId = 'logflow' | 'keyservers' | 'cyren' | 'bundle' | 'recipes' | 'settings' | 'health';

export interface MenuEntry {
  id: MenuEntryId;
  label: string;
  hint: string;
  /** Loaded when chosen, so heavy modules (ldapts, the ZIP code) stay out of start-up. */
  load: () => Promise<ScreenComponent>;
}

export const menuEntries: readonly MenuEntry[] = [
  {id: 'logflow', label: 'Troubleshooting logs', hint: 'log on, reproduce, wait, log off, zip', load: async () => (await import('../logflow/LogflowScreen.js')).LogflowScreen},
  {id: 'keyservers', label: 'Key-server lookup', hint: 'find S/MIME certificates in LDAP directories', load: async () => (await import('../keyservers/KeyserverScreen.js')).KeyserverScreen},
  {id: 'cyren', label: 'CYREN proxy settings', hint: 'ctasd / ctipd / ctwsd web proxy', load: async () => (await import('../cyren/CyrenScreen.js')).CyrenScreen},
  {id: 'bundle', label: 'Support data bundle', hint: 'one redacted ZIP for support', load: async () => (await import('../bundle/BundleScreen.js')).BundleScreen},
  {id: 'recipes', label: 'Recipes', hint: 'TCP tunnel, Azure rDNS, DB rights, WebPortal', load: async () => (await import('../recipes/RecipesScreen.js')).RecipesScreen},
  {id: 'settings', label: 'Settings & about', hint: 'ASCII mode, paths, version', load: async () => (await import('./SettingsScreen.js')).SettingsScreen},
  {id: 'health', label: 'Health check', hint: 'services, event log, disk, logs, proxy, key servers', load: async () => (await import('../health/HealthScreen.js')).HealthScreen},
];
