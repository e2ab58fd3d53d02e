/**
 * Stands in for the `whatwg-url` package inside the bundle (see scripts/build.mjs). ldapts calls
 * only `parseURL(url)` once per client and reads `scheme`, `host` and `port` of the record. Node's
 * own URL implements the same WHATWG standard, so the ~330 KB of whatwg-url, tr46 and their
 * tables need not be compiled each time a lookup command starts.
 */
export interface UrlRecord {
  scheme: string;
  /** ldapts joins an array with ":"; an IPv6 literal is passed as one element, without brackets. */
  host: string | string[] | null;
  port: number | null;
}

/** The parts ldapts reads, or null when the text is not a URL (as whatwg-url's parseURL). */
export function parseURL(input: string): UrlRecord | null {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  const hostname = url.hostname;
  const ipv6 = /^\[(.*)\]$/.exec(hostname);
  return {
    scheme: url.protocol.replace(/:$/, ''),
    host: ipv6 ? [ipv6[1]!] : hostname === '' ? null : hostname,
    port: url.port === '' ? null : Number(url.port),
  };
}
