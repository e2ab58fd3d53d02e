import {connect, type Socket} from 'node:net';

export type ProxyCheckOutcome =
  /** The proxy opened the tunnel (HTTP 2xx to CONNECT), or the target answered the HTTP request through it. */
  | 'connected'
  /** HTTP 407 (or 401): the proxy wants credentials, or refused the ones given. */
  | 'auth-refused'
  /** Nothing listens on the proxy's port (connection refused). */
  | 'refused'
  /** No connection or no answer within the time-out. */
  | 'timeout'
  /** The proxy's host name does not resolve. */
  | 'dns'
  /** The proxy answered with another status (e.g. 403 not allowed, 502/503 target unreachable). */
  | 'proxy-error'
  /** Anything else (network unreachable, reset, not an HTTP proxy). */
  | 'error';

export interface ProxyCheckRequest {
  proxyHost: string;
  proxyPort: number;
  target: {host: string; port: number};
  /**
   * connect (default): an HTTP CONNECT tunnel, as HTTPS clients use. http: a plain HTTP GET of
   * http://target/ through the proxy, as ctasd talks to its resolvers on port 80.
   */
  method?: 'connect' | 'http';
  /** The target as messages show it (e.g. with the licence part of a resolver name masked). */
  shownTarget?: string;
  /** Basic credentials; the password only ever goes into the Proxy-Authorization header. */
  credentials?: {user: string; password: string};
  timeoutMs?: number;
}

export interface ProxyCheckResult {
  outcome: ProxyCheckOutcome;
  /** The status line of the proxy's answer, when there was one. */
  status?: number;
  statusText?: string;
  message: string;
  durationMs: number;
}

/** The check reads at most this much of the proxy's answer: the status line is all it needs. */
export const maxAnswerBytes = 4096;
/** Upper bound for proxy test --timeout. */
export const maxCheckTimeoutMs = 120_000;

export const ctmailReminder = 'Remember (knowledge base): *.ctmail.com must be reachable through the proxy without restriction, and these connections must not be virus-scanned: the CYREN Premium AntiVirus definitions are downloaded there too.';

function targetText(target: {host: string; port: number}): string {
  return target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}

/** The request line and headers: CONNECT host:port, or GET http://host[:port]/ in absolute form for a proxy. */
function requestHead(request: ProxyCheckRequest): string[] {
  const target = targetText(request.target);
  const auth = request.credentials ? [`Proxy-Authorization: Basic ${Buffer.from(`${request.credentials.user}:${request.credentials.password}`, 'utf8').toString('base64')}`] : [];
  if (request.method === 'http') {
    const host = request.target.port === 80 ? (request.target.host.includes(':') ? `[${request.target.host}]` : request.target.host) : target;
    return [`GET http://${host}/ HTTP/1.1`, `Host: ${host}`, 'User-Agent: nsp-console proxy check', 'Connection: close', ...auth];
  }
  return [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`, 'User-Agent: nsp-console proxy check', 'Proxy-Connection: keep-alive', ...auth];
}

/**
 * Opens an HTTP CONNECT tunnel (or sends an HTTP GET) through the proxy to the target and
 * classifies what happened. For a GET, any answer except the proxy's own refusals (401/407, 403)
 * and failures (5xx) means the target was reached through the proxy.
 */
export function checkProxy(request: ProxyCheckRequest): Promise<ProxyCheckResult> {
  const timeoutMs = request.timeoutMs ?? 10_000;
  const started = Date.now();
  const proxy = `${request.proxyHost}:${request.proxyPort}`;
  const target = request.shownTarget ?? targetText(request.target);
  const http = request.method === 'http';
  return new Promise(resolve => {
    const socket: Socket = connect({host: request.proxyHost, port: request.proxyPort});
    let settled = false;
    const finish = (result: Omit<ProxyCheckResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({...result, durationMs: Date.now() - started});
    };
    const timer = setTimeout(() => {
      finish({outcome: 'timeout', message: `No answer from the proxy ${proxy} within ${Math.round(timeoutMs / 100) / 10} s (firewall dropping packets, wrong address, or the proxy hangs).`});
    }, timeoutMs);
    socket.setNoDelay(true);
    let answer = Buffer.alloc(0);
    socket.on('connect', () => {
      socket.write(`${requestHead(request).join('\r\n')}\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      if (settled) return;
      answer = Buffer.concat([answer, chunk.subarray(0, maxAnswerBytes - answer.length)]);
      const end = answer.indexOf('\r\n');
      if (end < 0 && answer.length < maxAnswerBytes) return;
      const statusLine = answer.subarray(0, end < 0 ? 200 : end).toString('latin1');
      const match = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\s*(.*)$/.exec(statusLine);
      if (!match) return finish({outcome: 'error', message: `${proxy} did not answer like an HTTP proxy ("${statusLine.slice(0, 60)}").`});
      const status = Number(match[1]);
      const statusText = match[2]!.trim();
      if (!http && status >= 200 && status < 300) return finish({outcome: 'connected', status, statusText, message: `Connected: the proxy ${proxy} opened a tunnel to ${target}.`});
      if (http && status < 500 && status !== 401 && status !== 403 && status !== 407) {
        return finish({outcome: 'connected', status, statusText, message: `Reached: ${target} answered ${status} ${statusText} to an HTTP request through the proxy ${proxy}.`});
      }
      // 407 is the standard answer; some proxies (tinyproxy 1.11) answer 401 to wrong credentials.
      if (status === 407 || status === 401) {
        return finish({
          outcome: 'auth-refused',
          status,
          statusText,
          message: request.credentials ? `The proxy ${proxy} refused the user name and password (${status} ${statusText}).` : `The proxy ${proxy} requires authentication (${status} ${statusText}); use Basic with a user name and password.`,
        });
      }
      finish({outcome: 'proxy-error', status, statusText, message: `The proxy ${proxy} answered ${status} ${statusText} for ${target} (${status === 403 ? 'not allowed by the proxy' : status >= 500 ? 'the proxy could not reach the target' : 'unexpected answer'}).`});
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') return finish({outcome: 'dns', message: `The proxy host name ${request.proxyHost} does not resolve (DNS: ${code}).`});
      if (code === 'ECONNREFUSED') return finish({outcome: 'refused', message: `Connection refused: nothing accepts connections on ${proxy} (wrong port, or the proxy service is down).`});
      if (code === 'ETIMEDOUT') return finish({outcome: 'timeout', message: `Connecting to ${proxy} timed out.`});
      finish({outcome: 'error', message: `Cannot reach the proxy ${proxy}: ${error.message}`});
    });
    socket.on('close', () => finish({outcome: 'error', message: `The proxy ${proxy} closed the connection without answering.`}));
  });
}
