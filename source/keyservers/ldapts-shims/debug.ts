/**
 * Stands in for the `debug` package inside the bundle (see scripts/build.mjs). When DEBUG names
 * "ldapts", ldapts writes every LDAP message it sends to stderr as JSON: bind DNs and the addresses
 * searched (it hides the password itself), mixed into the console's own output. The console's
 * messages are its log, so ldapts' is always off, and the package and its colour detection are
 * not loaded when a lookup starts.
 */
interface Logger {
  (...values: unknown[]): void;
  enabled: boolean;
  namespace: string;
}

export default function debug(namespace: string): Logger {
  return Object.assign(() => {}, {enabled: false, namespace});
}
