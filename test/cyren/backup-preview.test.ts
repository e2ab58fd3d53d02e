import {describe, expect, it} from 'vitest';
import {formatBackupPreview, lineDiff, proxySummary} from '../../source/cyren/backup-preview.js';
import {readProxyState} from '../../source/cyren/proxy-document.js';
import {parseTextBytes} from '../../source/system/text-document.js';

const doc = (text: string) => parseTextBytes(Buffer.from(text.replace(/\n/g, '\r\n')));

describe('what a CYREN backup holds and what restoring it changes', () => {
  const withAuth = 'Threads = 4\nProxyAccess = 1\nProxyServerAddress = proxy.corp.example\nProxyPort = 3128\nProxyAuth = Basic\nProxyUserName = svc-cyren\nProxyPassword = S3cr3t-Pa55!\n';
  const off = 'Threads = 4\n#ProxyAccess = 1\n#ProxyServerAddress = proxy.corp.example\n#ProxyPort = 3128\n';

  it('says proxy, port and auth yes/no, never the password', () => {
    expect(proxySummary(readProxyState(doc(withAuth)))).toBe('proxy proxy.corp.example:3128, auth yes');
    expect(proxySummary(readProxyState(doc(off)))).toBe('no proxy');
    expect(proxySummary(readProxyState(doc('ProxyAccess = 1\nProxyServerAddress = p\nProxyPort = 8080\nProxyAuth = NoAuth\n')))).toBe('proxy p:8080, auth no');
  });

  it('diffs now (-) against the backup (+) with line numbers, the password masked', () => {
    const lines = (text: string) => doc(text).lines.map(line => line.text);
    const diff = lineDiff(lines(off), lines(withAuth));
    expect(diff).toContain('   2 + ProxyAccess = 1');
    expect(diff).toContain('   2 - #ProxyAccess = 1');
    expect(diff.join('\n')).not.toContain('S3cr3t');
    expect(diff.join('\n')).toMatch(/ProxyPassword = \*+/);
    expect(diff.some(line => line.includes('Threads'))).toBe(false);
    const shown = formatBackupPreview([{file: '/x/ctasd.conf', backup: '/x/ctasd.conf.b', contains: 'proxy p:1, auth no', now: 'no proxy', diff: []}]);
    expect(shown).toEqual(['ctasd.conf', '  now:   no proxy', '  after: proxy p:1, auth no', '       (the same as now)']);
  });
});
