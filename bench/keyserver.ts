// npm run bench:keyserver — against a throw-away slapd on 127.0.0.1 (mail indexed):
// (a) one address over 11 directory entries (several on the test server, one blackhole that
//     accepts and never answers): our wall time vs the deadline, and without the blackhole vs
//     the slowest single lookup;
// (b) bulk lookups of 1,000 and 10,000 addresses against ONE `ldapsearch -f` process doing the
//     same searches over one connection (what an admin who knows LDAP runs): end to end (our built
//     binary with --json, process start included, both writing to /dev/null) and in-process
//     (bulkLookup inside this process, after one untimed call whose time is printed too), with
//     peak RSS and CPU time of each process and slapd's CPU; measured processes run without the
//     build machine's NODE_EXTRA_CA_CERTS (see extraCaNote);
// (c) 100,000 addresses end to end: peak RSS stays flat;
// (d) for information: a loop of 1,000 ldapsearch processes (one per address).
// Ours asks 16 addresses per search by default (--batch, see docs/keyservers.md); (b) also shows
// --batch 1, one search per address like ldapsearch -f, for information.
// Rounds are interleaved (ours, ldapsearch, ours …) so machine noise hits both alike; medians.
// BENCH_REPEATS (default 3) rounds; BENCH_KEYSERVER_COUNTS (default "1000,10000");
// BENCH_KEYSERVER_FLAT (default 100000, 0 skips (c)); BENCH_KEYSERVER_WINDOWS (e.g. "8,16,32,64,128")
// adds an in-process sweep of --concurrency.
import {execFile, execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import type {Directory} from '../source/keyservers/catalogue.js';
import {lookupAddress, lookupDirectory} from '../source/keyservers/lookup.js';
import {bulkLookup, defaultBatch, defaultConcurrency} from '../source/keyservers/bulk.js';
import {bulkAddress, domain, serverSizeLimit, startTestWorld} from '../test/harness/keyserver-world.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const run = promisify(execFile);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const ms = (value: number) => `${value.toFixed(0)} ms`;
const repeats = Math.max(1, Number(process.env.BENCH_REPEATS ?? 3));
const counts = (process.env.BENCH_KEYSERVER_COUNTS ?? '1000,10000').split(',').map(Number);
const flatCount = Number(process.env.BENCH_KEYSERVER_FLAT ?? 100_000);
const windows = (process.env.BENCH_KEYSERVER_WINDOWS ?? '').split(',').filter(Boolean).map(Number);
const entries = Math.max(...counts, 1000);
const deadlineMs = 2_000;
/** Every ratio and RSS figure again at the end, one line each, so a run's figures can be copied whole. */
const summary: string[] = [];

interface Measured {
  wallMs: number;
  maxRssKb: number;
  cpuMs: number;
  exitCode: number;
}
/**
 * Measured processes run without NODE_EXTRA_CA_CERTS: a build machine may point it at the whole system CA
 * bundle, which Node then parses at every start (about 40 ms here) before any of our code runs. A gateway
 * server has no reason to set it, and ldapsearch does not read it. BENCH_KEEP_EXTRA_CA=1 keeps it.
 */
const extraCa = process.env.NODE_EXTRA_CA_CERTS;
const keepExtraCa = process.env.BENCH_KEEP_EXTRA_CA === '1';
const measuredEnv: NodeJS.ProcessEnv = {...process.env};
if (!keepExtraCa) delete measuredEnv.NODE_EXTRA_CA_CERTS;
function measured(command: string[], env: NodeJS.ProcessEnv = measuredEnv): Measured {
  return JSON.parse(execFileSync('python3', [join(root, 'bench/run-measured.py'), ...command], {encoding: 'utf8', env}));
}
/** What NODE_EXTRA_CA_CERTS costs a bare `node -e 0` here, so the reader sees what leaving it out changes. */
function extraCaNote(): string {
  if (!extraCa) return 'NODE_EXTRA_CA_CERTS is not set here.';
  const bare = (env: NodeJS.ProcessEnv) => median(Array.from({length: 5}, () => measured([process.execPath, '-e', '0'], env).wallMs));
  const withIt = bare({...process.env, NODE_EXTRA_CA_CERTS: extraCa});
  const without = bare(Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_EXTRA_CA_CERTS')));
  return `NODE_EXTRA_CA_CERTS is set here (${extraCa}); \`node -e 0\` takes ${ms(withIt)} with it, ${ms(without)} without. Measured processes run ${keepExtraCa ? 'WITH it (BENCH_KEEP_EXTRA_CA=1)' : 'without it (BENCH_KEEP_EXTRA_CA=1 keeps it)'}.`;
}

const world = await startTestWorld({bulkEntries: entries});
const slapdPid = Number(readFileSync(join(world.open.folder, 'slapd.pid'), 'utf8'));
/** slapd's CPU time so far (user + system), from /proc. */
const slapdCpuMs = () => {
  const fields = readFileSync(`/proc/${slapdPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
};
try {
  const d = world.directories;
  const onServer: Directory[] = [d.plain, d.unlimited, d.startTls, d.ldaps, d.bindOnly, d.wrongBase, d.refused, d.mismatch, {...d.plain, id: 'plain-2'}, {...d.ldaps, id: 'ldaps-2'}];
  const eleven = [...onServer, d.blackhole];
  const address = `alice@${domain}`;
  // Warm-up: load ldapts and let slapd map its database.
  await lookupAddress(onServer, address, {timeoutMs: deadlineMs});

  const withBlackhole: number[] = [];
  const withoutBlackhole: number[] = [];
  const slowestSingle: number[] = [];
  const slowestWithoutBlackhole: number[] = [];
  for (let round = 0; round < repeats; round++) {
    let started = performance.now();
    await lookupAddress(eleven, address, {timeoutMs: deadlineMs});
    withBlackhole.push(performance.now() - started);
    started = performance.now();
    await lookupAddress(onServer, address, {timeoutMs: deadlineMs});
    withoutBlackhole.push(performance.now() - started);
    let slowest = 0;
    for (const directory of eleven) {
      const single = performance.now();
      await lookupDirectory(directory, address, {timeoutMs: deadlineMs});
      slowest = Math.max(slowest, performance.now() - single);
    }
    slowestSingle.push(slowest);
    let slowestOnServer = 0;
    for (const directory of onServer) {
      const single = performance.now();
      await lookupDirectory(directory, address, {timeoutMs: deadlineMs});
      slowestOnServer = Math.max(slowestOnServer, performance.now() - single);
    }
    slowestWithoutBlackhole.push(slowestOnServer);
  }
  console.log(`Machine: ${process.env.BENCH_NOTE ?? 'shared'}; load average ${(await import('node:os')).loadavg().map(load => load.toFixed(1)).join(' ')}; ${repeats} rounds, medians.`);
  const caNote = extraCaNote();
  console.log(caNote);
  summary.push(caNote);
  console.log(`(a) one address, ${eleven.length} directory entries, deadline ${ms(deadlineMs)}`);
  console.log(`    all 11 in parallel:       ${ms(median(withBlackhole))}`);
  console.log(`    vs the deadline:          ${(median(withBlackhole) / deadlineMs).toFixed(3)} x (target <= 1.10)`);
  console.log(`    vs slowest single lookup: ${ms(median(slowestSingle))} (the blackhole, alone) -> ${(median(withBlackhole) / median(slowestSingle)).toFixed(3)} x (target <= 1.10)`);
  console.log(`    info, the 10 without the blackhole: ${ms(median(withoutBlackhole))} in parallel vs ${ms(median(slowestWithoutBlackhole))} slowest alone -> ${(median(withoutBlackhole) / median(slowestWithoutBlackhole)).toFixed(2)} x`);

  const catalogue = join(world.folder, 'bench-keyservers.json');
  writeFileSync(catalogue, JSON.stringify([d.plain]));
  const stateDir = join(world.folder, 'bench-state');
  const expectedFound = (count: number) => Math.ceil((count * 2) / 3);
  const ldapsearchArgs = (file: string) => ['ldapsearch', '-x', '-LLL', '-o', 'ldif-wrap=no', '-H', world.open.url, '-b', d.plain.baseDn!, '-z', '100', '-f', file, '(mail=%s)', 'userCertificate;binary', 'userSMIMECertificate'];
  const oursArgs = (file: string) => [process.execPath, join(root, 'bin/nsp-console.js'), '--state-dir', stateDir, 'keyserver', 'lookup', '--file', file, '--keyservers', catalogue, '--json'];

  for (const count of counts) {
    const addresses = Array.from({length: count}, (_, index) => bulkAddress(index));
    const file = join(world.folder, `addresses-${count}.txt`);
    writeFileSync(file, `${addresses.join('\n')}\n`);
    // Both give the same answers (checked once, outside the timed runs).
    const {stdout: ldif} = await run(ldapsearchArgs(file)[0]!, ldapsearchArgs(file).slice(1), {maxBuffer: 1024 ** 3});
    const ldapsearchFound = ldif.split('\ndn: ').filter(block => block.includes('userCertificate;binary::')).length;
    const {stdout: json} = await run(oursArgs(file)[0]!, oursArgs(file).slice(1), {maxBuffer: 1024 ** 3});
    const oursFound = json.split('\n').filter(line => line.includes('"status":"found"')).length;
    if (ldapsearchFound !== expectedFound(count) || oursFound !== expectedFound(count)) throw new Error(`found: ldapsearch ${ldapsearchFound}, ours ${oursFound}, expected ${expectedFound(count)}`);

    // One untimed call first: V8 compiling the path is a cost of the process, which the end-to-end figure carries.
    const coldStarted = performance.now();
    await bulkLookup([d.plain], addresses, {timeoutMs: 10_000});
    const coldMs = performance.now() - coldStarted;
    const e2eOurs: Measured[] = [];
    const e2eOursSingle: Measured[] = [];
    let requests = 0;
    const e2eLdapsearch: Measured[] = [];
    const inProcess: number[] = [];
    const inProcessCpu: number[] = [];
    const slapdOurs: number[] = [];
    const slapdLdapsearch: number[] = [];
    for (let round = 0; round < repeats; round++) {
      let slapd = slapdCpuMs();
      e2eLdapsearch.push(measured(ldapsearchArgs(file)));
      slapdLdapsearch.push(slapdCpuMs() - slapd);
      slapd = slapdCpuMs();
      e2eOurs.push(measured(oursArgs(file)));
      slapdOurs.push(slapdCpuMs() - slapd);
      e2eOursSingle.push(measured([...oursArgs(file), '--batch', '1']));
      const cpu = process.cpuUsage();
      const started = performance.now();
      const summary = await bulkLookup([d.plain], addresses, {timeoutMs: 10_000});
      inProcess.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      inProcessCpu.push((used.user + used.system) / 1000);
      if (summary.withCertificate !== expectedFound(count)) throw new Error(`bulk found ${summary.withCertificate}`);
      requests = summary.requests;
    }
    for (const sample of [...e2eOurs, ...e2eOursSingle, ...e2eLdapsearch]) if (sample.exitCode !== 0) throw new Error(`a measured run exited ${sample.exitCode}`);
    const wall = (samples: Measured[]) => median(samples.map(sample => sample.wallMs));
    const ldapsearchMs = wall(e2eLdapsearch);
    console.log(`(b) ${count.toLocaleString('en')} addresses, one directory (server size limit ${serverSizeLimit}), --concurrency ${defaultConcurrency} --batch ${defaultBatch} (defaults), one connection: ${requests.toLocaleString('en')} searches`);
    console.log(`    ldapsearch -f (one process, one connection):  ${ms(ldapsearchMs)}  CPU ${ms(median(e2eLdapsearch.map(sample => sample.cpuMs)))}  peak RSS ${(median(e2eLdapsearch.map(sample => sample.maxRssKb)) / 1024).toFixed(1)} MB  slapd CPU ${ms(median(slapdLdapsearch))}`);
    console.log(`    ours end to end (binary, --json):             ${ms(wall(e2eOurs))}  CPU ${ms(median(e2eOurs.map(sample => sample.cpuMs)))}  peak RSS ${(median(e2eOurs.map(sample => sample.maxRssKb)) / 1024).toFixed(1)} MB  slapd CPU ${ms(median(slapdOurs))}`);
    console.log(`      -> ${(ldapsearchMs / wall(e2eOurs)).toFixed(2)} x faster than ldapsearch -f (target >= 1.5 at 10,000)`);
    console.log(`    info, ours with --batch 1 (one search per address): ${ms(wall(e2eOursSingle))}  CPU ${ms(median(e2eOursSingle.map(sample => sample.cpuMs)))} -> ${(ldapsearchMs / wall(e2eOursSingle)).toFixed(2)} x`);
    console.log(`    ours in-process (bulkLookup, after one untimed call): ${ms(median(inProcess))}  CPU ${ms(median(inProcessCpu))}`);
    console.log(`    info, the untimed call before these rounds (${count === counts[0] ? 'the first bulk call of this process, cold' : 'after the rounds above'}): ${ms(coldMs)} -> ${(ldapsearchMs / coldMs).toFixed(2)} x`);
    console.log(`      -> ${(ldapsearchMs / median(inProcess)).toFixed(2)} x faster than ldapsearch -f (target >= 2)`);
    const n = count.toLocaleString('en');
    summary.push(`${n} end to end: ${(ldapsearchMs / wall(e2eOurs)).toFixed(2)} x ldapsearch -f (ours ${ms(wall(e2eOurs))}, ldapsearch ${ms(ldapsearchMs)}; CPU ${ms(median(e2eOurs.map(sample => sample.cpuMs)))} vs ${ms(median(e2eLdapsearch.map(sample => sample.cpuMs)))})`);
    summary.push(`${n} end to end, --batch 1 (info): ${(ldapsearchMs / wall(e2eOursSingle)).toFixed(2)} x ldapsearch -f (${ms(wall(e2eOursSingle))})`);
    summary.push(`${n} in-process: ${(ldapsearchMs / median(inProcess)).toFixed(2)} x ldapsearch -f (${ms(median(inProcess))}, CPU ${ms(median(inProcessCpu))}; the untimed call before them ${ms(coldMs)}, ${(ldapsearchMs / coldMs).toFixed(2)} x)`);
    summary.push(`${n} peak RSS end to end: ours ${(median(e2eOurs.map(sample => sample.maxRssKb)) / 1024).toFixed(1)} MB, ldapsearch ${(median(e2eLdapsearch.map(sample => sample.maxRssKb)) / 1024).toFixed(1)} MB`);
  }

  if (windows.length > 0) {
    const addresses = Array.from({length: Math.max(...counts)}, (_, index) => bulkAddress(index));
    console.log(`(sweep) in-process, ${addresses.length.toLocaleString('en')} addresses, by --concurrency and connections (median of ${repeats})`);
    for (const window of windows) {
      for (const connections of [1, 2]) {
        const times: number[] = [];
        const slapd: number[] = [];
        for (let round = 0; round < repeats; round++) {
          const before = slapdCpuMs();
          const started = performance.now();
          await bulkLookup([d.plain], addresses, {timeoutMs: 10_000, concurrency: window, connections});
          times.push(performance.now() - started);
          slapd.push(slapdCpuMs() - before);
        }
        console.log(`    concurrency ${String(window).padStart(3)}, ${connections} connection${connections > 1 ? 's' : ' '}: ${ms(median(times)).padStart(8)}  slapd CPU ${ms(median(slapd))}`);
      }
    }
  }

  if (flatCount > 0) {
    // Only `entries` of them exist; the rest are "no entry" answers: the point is the stream's memory.
    const file = join(world.folder, 'addresses-flat.txt');
    writeFileSync(file, `${Array.from({length: flatCount}, (_, index) => (index < entries ? bulkAddress(index) : `nobody${index}@${domain}`)).join('\n')}\n`);
    const flat = measured(oursArgs(file));
    if (flat.exitCode !== 0) throw new Error(`the ${flatCount} run exited ${flat.exitCode}`);
    console.log(`(c) ${flatCount.toLocaleString('en')} addresses end to end: ${ms(flat.wallMs)}, peak RSS ${(flat.maxRssKb / 1024).toFixed(1)} MB (target <= 120 MB, flat)`);
    summary.push(`${flatCount.toLocaleString('en')} peak RSS end to end: ${(flat.maxRssKb / 1024).toFixed(1)} MB (target <= 120 MB)`);
  }

  const loopCount = 1000;
  const loopStarted = performance.now();
  let found = 0;
  for (let index = 0; index < loopCount; index++) {
    const {stdout} = await run('ldapsearch', ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', world.open.url, '-b', d.plain.baseDn!, '-z', '100', `(mail=${bulkAddress(index)})`, 'userCertificate;binary', 'userSMIMECertificate']);
    if (stdout.includes('userCertificate;binary::')) found++;
  }
  if (found !== expectedFound(loopCount)) throw new Error(`ldapsearch loop found ${found}`);
  console.log(`(d) info: ${loopCount.toLocaleString('en')} addresses as a loop of ldapsearch processes: ${ms(performance.now() - loopStarted)} (one run)`);
  console.log('Summary (x > 1: ours faster; targets: end to end >= 1.5 at 10,000, in-process >= 2, RSS <= 120 MB):');
  for (const line of summary) console.log(`    ${line}`);
} finally {
  await world.stop();
}
