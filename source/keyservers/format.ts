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
  const why = unusableReasons(details);
  if (can.length === 2) return 'usable to encrypt and sign';
  if (can.length === 1) return `usable to ${can[0]} only: ${why.join('; ')}`;
  return `not usable for S/MIME: ${why.join('; ')}`;
}

/**
 * Why a certificate cannot (fully) be used for S/MIME now, in the admin's words: the validity, an
 * extended key usage without e-mail protection ("extended key usage is clientAuth only"), a key usage
 * without the bits for signing (digitalSignature/nonRepudiation) or encrypting (keyEncipherment/keyAgreement).
 */
export function unusableReasons(details: CertificateDetails): string[] {
  const reasons: string[] = [];
  if (details.expired || details.notYetValid) reasons.push(validityText(details));
  const eku = details.extendedKeyUsage;
  if (eku.length > 0 && !eku.includes('emailProtection') && !eku.includes('anyExtendedKeyUsage')) {
    reasons.push(`extended key usage is ${eku.length === 1 ? `${eku[0]} only` : eku.join(', ')}, no emailProtection`);
  }
  if (details.keyUsagePresent) {
    const has = (...bits: string[]) => bits.some(bit => details.keyUsage.includes(bit));
    const usage = details.keyUsage.join(', ') || 'empty';
    if (!has('digitalSignature', 'nonRepudiation')) reasons.push(`key usage (${usage}) has no digitalSignature: cannot sign`);
    if (!has('keyEncipherment', 'keyAgreement')) reasons.push(`key usage (${usage}) has no keyEncipherment: cannot encrypt`);
  }
  return reasons;
}

/**
 * One line when every directory asked failed the same way (nothing answered), with what to check;
 * undefined when any directory answered or some are still running.
 */
export function directorySummary(results: readonly Pick<DirectoryResult, 'status' | 'errorKind' | 'url'>[]): string | undefined {
  const asked = results.filter(result => result.status !== 'needs-credentials');
  if (asked.length < 2 || asked.some(result => result.status !== 'error')) return undefined;
  const kinds = new Set(asked.map(result => result.errorKind ?? 'other'));
  const ports = [...new Set(asked.map(result => ldapPort(result.url)))].sort((a, b) => a - b).join('/');
  const all = `no directory answered (${asked.length} of ${asked.length} failed)`;
  const only = kinds.size === 1 ? [...kinds][0] : undefined;
  if (only === 'dns') return `${all}: no host name resolved; check DNS on this server`;
  if (only === 'tls') return `${all}: TLS failed everywhere; check a TLS-inspecting firewall/proxy and this server's root certificates`;
  if (only === 'auth') return `${all}: every bind was refused; check the bind DN and password`;
  if ([...kinds].every(kind => kind === 'dns' || kind === 'timeout' || kind === 'refused' || kind === 'other')) return `${all}: check DNS/firewall for outbound LDAP ${ports}`;
  return undefined;
}

function ldapPort(url: string | undefined): number {
  const match = /^(ldaps?):\/\/[^/]*?:(\d+)/i.exec(url ?? '');
  if (match) return Number(match[2]);
  return /^ldaps:/i.test(url ?? '') ? 636 : 389;
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
  const summary = directorySummary(results);
  if (summary) lines.push('', summary.charAt(0).toUpperCase() + summary.slice(1));
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
