import type {CatalogueEntry} from './catalogue.js';
import {validityText, type CertificateDetails} from './certificate.js';
import type {ConnectivityResult} from './connectivity.js';
import type {DirectoryResult} from './lookup.js';

/** Plain-text renderings shared by the command (and its tests); the screen draws its own rows. */
export function statusLabel(result: DirectoryResult): string {
  switch (result.status) {
    case 'found':
      return result.truncated ? 'found (cut)' : 'found';
    case 'no-entry':
      return 'no entry';
    case 'no-certificate':
      return 'no certificate';
    case 'needs-credentials':
      return 'needs credentials';
    case 'error':
      return `error: ${result.errorKind ?? 'other'}`;
  }
}

export function usageText(details: CertificateDetails): string {
  const can = [details.canEncrypt ? 'encrypt' : '', details.canSign ? 'sign' : ''].filter(Boolean);
  return can.length > 0 ? `usable to ${can.join(' and ')}` : 'not usable for S/MIME now';
}

/** The lines of one certificate's details (the screen pages them, the command prints them). */
export function certificateLines(details: CertificateDetails): string[] {
  return [
    `Subject:    ${details.subject}`,
    `Issuer:     ${details.issuer}`,
    `Serial:     ${details.serial}`,
    `Valid:      ${details.notBefore.slice(0, 10)} to ${details.notAfter.slice(0, 10)} (${validityText(details)})`,
    `E-mail:     ${details.emails.length > 0 ? details.emails.join(', ') : '(none)'}`,
    `Key usage:  ${details.keyUsagePresent ? details.keyUsage.join(', ') || '(none set)' : '(no extension: any)'}`,
    `Ext. usage: ${details.extendedKeyUsage.length > 0 ? details.extendedKeyUsage.join(', ') : '(no extension: any)'}`,
    `Usable:     ${usageText(details)}`,
    `SHA-256:    ${details.sha256}`,
    `Source:     ${details.source} of ${details.entryDn}`,
  ];
}

/** A table of directories, then each distinct certificate once, with the directories that returned it. */
export function formatLookup(address: string, results: readonly DirectoryResult[]): string {
  const nameWidth = Math.min(30, Math.max(...results.map(result => result.name.length), 4));
  const distinct: {details: CertificateDetails; foundIn: string[]}[] = [];
  const numberOf = (details: CertificateDetails) => {
    let index = distinct.findIndex(item => item.details.sha256 === details.sha256);
    if (index < 0) index = distinct.push({details, foundIn: []}) - 1;
    return index + 1;
  };
  const lines = [`Certificates for ${address}:`];
  for (const result of results) {
    const time = result.status === 'needs-credentials' ? '' : `${result.elapsedMs} ms`;
    const numbers = result.certificates.map(found => {
      const number = numberOf(found.details);
      distinct[number - 1]!.foundIn.push(result.name);
      return `[${number}]`;
    });
    lines.push(`  ${result.name.padEnd(nameWidth)}  ${statusLabel(result).padEnd(18)} ${time.padStart(8)}  ${result.message}${numbers.length > 0 ? `  ${numbers.join(' ')}` : ''}`);
  }
  for (const [index, {details, foundIn}] of distinct.entries()) {
    lines.push('', `[${index + 1}] ${details.subject}`);
    for (const line of certificateLines(details).slice(1)) lines.push(`    ${line}`);
    lines.push(`    Found in:   ${foundIn.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatCatalogue(catalogue: readonly CatalogueEntry[]): string {
  const lines = [`${'ID'.padEnd(16)} ${'NAME'.padEnd(30)} ${'URL'.padEnd(42)} BASE DN / BIND`];
  for (const directory of catalogue) {
    const base = directory.baseDn ?? '(unlimited: namingContexts)';
    const bind = directory.bindDn ? `bind ${directory.bindDn}${directory.password ? ' (password stored)' : ''}` : directory.credentialsRequired ? 'needs credentials' : 'anonymous';
    const tls = directory.startTls ? ' +StartTLS' : '';
    lines.push(`${directory.id.padEnd(16)} ${directory.name.padEnd(30)} ${(directory.url + tls).padEnd(42)} ${base}; ${bind}; ${directory.filter} -> ${directory.attributes.join(', ')}${directory.source === 'built-in' ? '' : ` [${directory.source}]`}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatConnectivity(results: readonly ConnectivityResult[]): string {
  const nameWidth = Math.min(30, Math.max(...results.map(result => result.name.length), 4));
  const lines = ['Connectivity:'];
  for (const result of results) {
    const verdict = result.ok ? 'OK' : result.bind.status === 'needs-credentials' ? 'CREDENTIALS' : 'FAILED';
    lines.push(`  ${result.name.padEnd(nameWidth)}  ${verdict.padEnd(11)} ${result.rttMs !== undefined ? `rtt ${result.rttMs} ms` : ''}`.trimEnd());
    lines.push(`      tcp:  ${result.tcp.status === 'ok' ? result.tcp.message : `${result.tcp.status}: ${result.tcp.message}`}`);
    if (result.tcp.status === 'ok') lines.push(`      bind: ${result.bind.status}: ${result.bind.message}`);
    if (result.base.status !== 'skipped') lines.push(`      base: ${result.base.status}: ${result.base.message}`);
  }
  return `${lines.join('\n')}\n`;
}
