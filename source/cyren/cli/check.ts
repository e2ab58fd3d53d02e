import {writeJson} from '../../commands/parse.js';
import type {CommandIo} from '../../commands/types.js';
import {ctmailReminder} from '../proxy-check.js';
import {describeProbe, probesPassed, runProbes, type ProbePlan, type ProbeResult, type ProxyEndpoint} from '../proxy-probes.js';
import {out} from './shared.js';

const sourceText: Record<ProbePlan['source'], string> = {
  option: '--target',
  settings: 'settings (cyren.checkTarget)',
  'ctasd.conf': "ctasd.conf's Server_address (%d = 1 and 2), licence part masked",
  default: 'ctmail.com (ctasd.conf names no resolver)',
};

/**
 * Runs the plan's probes (HTTP to port 80 and CONNECT to 443 per resolver) at once and prints one
 * line per probe (or JSON) with the knowledge base's reminder. Passed = every probe got through.
 */
export async function runCheck(io: CommandIo, proxy: ProxyEndpoint, plan: ProbePlan, timeoutMs: number, json = false): Promise<{passed: boolean; results: ProbeResult[]}> {
  if (!json) out(io, `Testing ${proxy.server}:${proxy.port}${proxy.user ? ` as ${proxy.user}` : ''}: ${plan.probes.length} request${plan.probes.length === 1 ? '' : 's'} from ${sourceText[plan.source]} ...`);
  const results = await runProbes(proxy, plan, timeoutMs);
  const passed = probesPassed(results);
  if (json) {
    const failed = results.find(result => result.outcome !== 'connected');
    writeJson(io.stdout, {
      proxy: `${proxy.server}:${proxy.port}`,
      authenticated: proxy.user !== undefined && proxy.password !== undefined,
      source: plan.source,
      passed,
      // The first failure's outcome (or connected), for scripts that read one value.
      outcome: failed?.outcome ?? 'connected',
      probes: results.map(result => ({method: result.method, target: result.target, outcome: result.outcome, status: result.status, statusText: result.statusText, message: result.message, durationMs: result.durationMs})),
      reminder: ctmailReminder,
    });
  } else {
    plan.probes.forEach((probe, index) => {
      const result = results[index]!;
      out(io, `${result.outcome === 'connected' ? 'OK    ' : 'FAILED'} ${describeProbe(probe)}: ${result.message} (${result.durationMs} ms)`);
    });
    out(io, passed ? 'All requests got through the proxy.' : `${results.filter(result => result.outcome !== 'connected').length} of ${results.length} requests did not get through.`);
    out(io, ctmailReminder);
  }
  return {passed, results};
}
