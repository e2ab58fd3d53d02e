/**
 * The directories a lookup asks. One schema for the built-in list, the --keyservers file and the
 * custom directories in settings.json (key "keyservers").
 */
export interface Directory {
  id: string;
  name: string;
  /** ldap://host[:port] or ldaps://host[:port] (implicit TLS); no DN in the URL. */
  url: string;
  /** Upgrade an ldap:// connection with StartTLS before anything else. */
  startTls: boolean;
  /** null: anonymous. */
  bindDn: string | null;
  /** null: anonymous, or (with a bindDn) asked for per session. */
  password: string | null;
  /** null: "unlimited search", i.e. every namingContext of the server's root DSE. */
  baseDn: string | null;
  /** LDAP filter with %e where the (escaped) address goes. */
  filter: string;
  attributes: string[];
  /** PEM file with the CA certificates to trust for this directory's TLS. */
  caFile?: string | null;
  /** The directory only answers after a simple bind with credentials the admin supplies. */
  credentialsRequired?: boolean;
  /** A template shown when asking for the bind DN. */
  bindDnHint?: string | null;
}

export type DirectorySource = 'built-in' | 'custom' | 'file';

export interface CatalogueEntry extends Directory {
  source: DirectorySource;
}

const anonymous = {startTls: false, bindDn: null, password: null, filter: '(mail=%e)', attributes: ['userCertificate;binary']};

/** The knowledge base's list, exactly: host, port, bind, search base ("unlimited search" = null) and attribute. */
export const builtInDirectories: readonly Directory[] = [
  {id: 'a-trust', name: 'A-Trust', url: 'ldap://ldap.a-trust.at:389', baseDn: null, ...anonymous},
  {
    id: 'arbeitsagentur',
    name: 'Arbeitsagentur',
    url: 'ldap://cert-download.arbeitsagentur.de:389',
    baseDn: 'OU=BA,O=Bundesagentur für Arbeit,C=de',
    ...anonymous,
    credentialsRequired: true,
    bindDnHint: 'CN=Username,OU=BA,O=Bundesagentur für Arbeit,C=de',
  },
  {id: 'bsi', name: 'Federal Office for IT Security', url: 'ldap://x500.bund.de:389', baseDn: null, ...anonymous},
  {id: 'dtrust', name: 'D-TRUST', url: 'ldap://directory.d-trust.net:389', baseDn: 'c=de', ...anonymous},
  {id: 'datev', name: 'Datev', url: 'ldap://ldap.crl.esecure.datev.de:389', baseDn: null, ...anonymous},
  {id: 'dfn', name: 'DFN', url: 'ldap://ldap.pca.dfn.de:389', baseDn: 'o=DFN-Verein,c=DE', ...anonymous},
  {id: 's-trust', name: 'S-Trust', url: 'ldap://directory.s-trust.de:389', baseDn: 'dc=s-trust,dc=de', ...anonymous},
  {id: 'siemens', name: 'Siemens PKI', url: 'ldap://cl.siemens.com:389', baseDn: null, ...anonymous},
  {id: 't-mailpass', name: 'T-Systems Mailpass', url: 'ldap://ldap.t-mailpass.de:389', baseDn: null, ...anonymous},
  {id: 'digicert', name: 'DigiCert', url: 'ldap://directory.pki.digicert.com:389', baseDn: null, ...anonymous},
  {id: 'swisssign', name: 'SwissSign', url: 'ldap://directory.swisssign.net:389', baseDn: 'o=SwissSign,c=CH', ...anonymous},
];

export interface ParsedUrl {
  secure: boolean;
  host: string;
  port: number;
}

export function parseDirectoryUrl(url: string): ParsedUrl {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return {secure: parsed.protocol === 'ldaps:', host, port: parsed.port ? Number(parsed.port) : parsed.protocol === 'ldaps:' ? 636 : 389};
}

/** Settings, then built-ins: a custom entry with a built-in's id replaces it (e.g. Arbeitsagentur's bind DN). */
export function mergeCatalogue(custom: readonly Directory[]): CatalogueEntry[] {
  const overrides = new Map(custom.map(directory => [directory.id, directory]));
  const merged: CatalogueEntry[] = builtInDirectories.map(directory => {
    const override = overrides.get(directory.id);
    return override ? {...directory, ...override, source: 'custom'} : {...directory, source: 'built-in'};
  });
  for (const directory of custom) if (!builtInDirectories.some(builtIn => builtIn.id === directory.id)) merged.push({...directory, source: 'custom'});
  return merged;
}

export function isBuiltInId(id: string): boolean {
  return builtInDirectories.some(directory => directory.id === id);
}
