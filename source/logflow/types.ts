/** The four protocols the knowledge base asks for, in the order {protocols} expands them. */
export const allProtocols = ['AntiSpam', 'Mailvalidation', 'DNS', 'ProxySystem'] as const;
export type Protocol = (typeof allProtocols)[number];

export const protocolLabels: Record<Protocol, string> = {
  AntiSpam: 'AntiSpam service',
  Mailvalidation: 'Mailvalidation',
  DNS: 'DNS Service',
  ProxySystem: 'Proxy System',
};

/** How logging is switched for a role: by the admin in the NoSpamProxy console, or by commands. */
export type DriverKind = 'guided' | 'script';

/** One gateway role as configured in settings.json "roles". */
export interface RoleDefinition {
  name: string;
  driver: DriverKind;
  location: string;
  /** argv (no shell) with {role} {location} {protocols}; script roles only. */
  enable?: string[];
  disable?: string[];
}

/** Size of every file of one log location at one moment (path relative to the location). */
export type LocationSnapshot = Record<string, number>;

/** Per role: the sizes at one moment; undefined when the location could not be read. */
export type Snapshot = Record<string, LocationSnapshot>;
