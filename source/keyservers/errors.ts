/** The error kinds a lookup reports per directory (stable: they are part of the --json output). */
/** too-large: the server's answer broke a bound (8 MB per search, 100 entries, 50 certificates per entry, malformed framing). */
export type ErrorKind = 'refused' | 'timeout' | 'dns' | 'tls' | 'auth' | 'no-such-base' | 'size-limit' | 'too-large' | 'other';

export interface ClassifiedError {
  kind: ErrorKind;
  message: string;
}

/** A failure we raise ourselves with a known kind (deadline, StartTLS refused, unreadable CA file). */
export class DirectoryError extends Error {
  override name = 'DirectoryError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const tlsVerifyCodes = /^(UNABLE_TO_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_TLS_|ERR_SSL_|EPROTO)/;

/** LDAP result codes (RFC 4511) that tell the admin something specific. */
const resultCodes: Record<number, ClassifiedError> = {
  3: {kind: 'timeout', message: 'the server hit its time limit'},
  4: {kind: 'size-limit', message: 'the server hit its size limit'},
  7: {kind: 'auth', message: 'the server does not support this authentication method'},
  8: {kind: 'auth', message: 'the server requires stronger authentication'},
  13: {kind: 'tls', message: 'the server requires an encrypted connection (use ldaps:// or StartTLS)'},
  32: {kind: 'no-such-base', message: 'the base DN does not exist on this server'},
  34: {kind: 'no-such-base', message: 'the base DN is not a valid DN'},
  48: {kind: 'auth', message: 'inappropriate authentication (an anonymous or unauthenticated bind is not allowed)'},
  49: {kind: 'auth', message: 'invalid credentials: the bind DN or password is wrong'},
  50: {kind: 'auth', message: 'insufficient access: this bind may not search here'},
};

/** Turns whatever ldapts or the socket threw into one of the reported kinds, with a readable reason. */
export function classifyError(error: unknown, where: {host: string; port: number; timeoutMs: number}): ClassifiedError {
  if (error instanceof DirectoryError) return {kind: error.kind, message: error.message};
  const err = error as {code?: unknown; message?: string; cert?: {subjectaltname?: string; subject?: {CN?: string}}} | undefined;
  // ldapts appends " Code: 0x20" to the server's (often empty) diagnostic text.
  const message = (err?.message ?? String(error)).replace(/\s*Code: 0x[0-9a-f]+\s*$/i, '').replace(/\s+/g, ' ').trim();
  const code = err?.code;
  if (typeof code === 'number' && resultCodes[code]) {
    const known = resultCodes[code]!;
    return {kind: known.kind, message: `${known.message} (LDAP result ${code}${message ? `: ${message}` : ''})`};
  }
  // slapd's "require authc" answers an anonymous search with unwillingToPerform: authentication required.
  if (code === 53 && /authentication required|bind/i.test(message)) return {kind: 'auth', message: `the directory requires a bind with credentials (LDAP result 53: ${message})`};
  if (typeof code === 'number') return {kind: 'other', message: `LDAP result ${code}${message ? `: ${message}` : ''}`};
  const endpoint = `${where.host}:${where.port}`;
  if (code === 'ECONNREFUSED') return {kind: 'refused', message: `connection refused by ${endpoint} (nothing listens on that port, or a firewall rejects it)`};
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME' || code === 'ENODATA') {
    return {kind: 'dns', message: `the host name ${where.host} could not be resolved (${String(code)})`};
  }
  if (code === 'ETIMEDOUT' || /timed out|timeout/i.test(message)) return {kind: 'timeout', message: `no answer from ${endpoint} within ${formatSeconds(where.timeoutMs)}`};
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = err?.cert?.subjectaltname ?? (err?.cert?.subject?.CN ? `CN=${err.cert.subject.CN}` : 'other names');
    return {kind: 'tls', message: `TLS failed: the server's certificate is for ${names}, not ${where.host} (${code})`};
  }
  if (typeof code === 'string' && tlsVerifyCodes.test(code)) return {kind: 'tls', message: `TLS failed: ${message.replace(/:$/, '')} (${code})`};
  if (/before secure TLS connection was established|wrong version number|ssl|tls/i.test(message)) return {kind: 'tls', message: `TLS failed: ${message}`};
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return {kind: 'other', message: `${endpoint} is unreachable from here (${code})`};
  if (code === 'ECONNRESET' || code === 'EPIPE') return {kind: 'other', message: `${endpoint} closed the connection (${code})`};
  return {kind: 'other', message};
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
