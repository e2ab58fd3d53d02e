import {writeFileSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {countEvents, eventQuery} from '../../source/bundle/eventlog.js';
import {createBundle, emptyRequest} from '../../source/bundle/create.js';
import {collectItems} from '../../source/bundle/items.js';
import {knownSecrets, makeContext, makeLogflowRun, readWithYauzl, sandboxWithSecrets, tempDir} from './fixtures.js';
import {readJsonLines, writeExecutable} from '../harness/stub-bin.js';

const sampleText = [
  'Event[0]:',
  '  Log Name: Net at Work Mail Gateway',
  '  Source: NoSpamProxy Gateway Role',
  '  Date: 2026-11-27T09:05:00.000',
  '  Level: Error',
  '  Description: Delivery to partner.example failed: 451 4.4.0',
  'Event[1]:',
  '  Level: Warning',
  `  Description: proxy login as ${knownSecrets.proxyUser} failed`,
  'Event[2]:',
  '  Level: Error',
  '  Description: DNS timeout',
  '',
].join('\r\n');

/** A stand-in for a Windows tool: records each call's argv (one JSON line) and answers like the tool. */
function writeStub(folder: string, name: string, body: string): Promise<void> {
  return writeExecutable(join(folder, name), `#!/usr/bin/env node\nconst fs = require('fs');\nconst args = process.argv.slice(2);\nfs.appendFileSync(process.env.STUB_RECORD, JSON.stringify({tool: ${JSON.stringify(name)}, args}) + '\\n');\n${body}\n`);
}

const records = (path: string) => readJsonLines<{tool: string; args: string[]}>(path);

describe('Windows event-log export through the platform tools', () => {
  const savedPath = process.env.PATH;
  let stubs: string;
  let record: string;
  beforeEach(() => {
    stubs = tempDir('stubs');
    record = join(stubs, 'calls.jsonl');
    writeFileSync(record, '');
    process.env.STUB_RECORD = record;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    delete process.env.STUB_RECORD;
  });

  it('exports warnings and errors of the troubleshooting window with wevtutil (text and .evtx), counts them and masks secrets', async () => {
    await writeStub(
      stubs,
      'wevtutil',
      `if (args[0] === 'qe') process.stdout.write(${JSON.stringify(sampleText)});\nelse if (args[0] === 'epl') fs.writeFileSync(args[2], Buffer.from('ElfFile\\0 fake evtx'));\nelse process.exit(87);`,
    );
    process.env.PATH = `${stubs}${delimiter}${savedPath}`;
    const stateDir = tempDir('state');
    makeLogflowRun(stateDir, 'run-a', '2026-11-27T09:00:00Z', '2026-11-27T09:15:00Z', {'gw/a.log': 'a\n'});
    const context = makeContext(stateDir, sandboxWithSecrets(), {platform: 'win32'});
    const {collected, written} = await createBundle(context, {...emptyRequest(), description: 'x', logs: 'latest'});
    const eventlog = collected.items.find(item => item.id === 'eventlog')!;
    expect(eventlog.status).toBe('found');
    expect(eventlog.summary).toContain('3 warning/error entries');
    expect(eventlog.summary).toContain('2026-11-27 09:00 - 2026-11-27 09:15 UTC');
    const query = `/q:*[System[(Level=1 or Level=2 or Level=3) and TimeCreated[@SystemTime>='2026-11-27T09:00:00.000Z' and @SystemTime<='2026-11-27T09:15:00.000Z']]]`;
    const calls = await records(record);
    expect(calls[0]).toEqual({tool: 'wevtutil', args: ['qe', 'Net at Work Mail Gateway', query, '/f:text', '/rd:false']});
    expect(calls[1]!.args.slice(0, 2)).toEqual(['epl', 'Net at Work Mail Gateway']);
    expect(calls[1]!.args.slice(3)).toEqual([query, '/ow:true']);
    const entries = await readWithYauzl(written.path);
    const text = entries.get('eventlog/events.txt')!.toString('utf8');
    expect(countEvents(text)).toBe(3);
    expect(text).not.toContain(knownSecrets.proxyUser);
    expect(text).toMatch(/proxy login as \*\*\*(REDACTED\*\*\*)? failed/);
    expect(entries.get('eventlog/events.evtx')!.toString('latin1')).toContain('ElfFile');
    const environment = JSON.parse(entries.get('environment.json')!.toString('utf8'));
    expect(environment.commands.map((command: {file: string; args: string[]}) => `${command.file} ${command.args[0]}`)).toEqual(expect.arrayContaining(['wevtutil qe', 'wevtutil epl']));
  });

  it('uses --since/--until over the run window', async () => {
    await writeStub(stubs, 'wevtutil', `if (args[0] === 'qe') process.stdout.write('Event[0]:\\r\\n  Level: Error\\r\\n');`);
    process.env.PATH = `${stubs}${delimiter}${savedPath}`;
    const stateDir = tempDir('state');
    makeLogflowRun(stateDir, 'run-b', '2026-11-27T09:00:00Z', '2026-11-27T09:15:00Z', {'gw/a.log': 'a\n'});
    const context = makeContext(stateDir, sandboxWithSecrets(), {platform: 'win32'});
    const since = new Date('2026-11-20T00:00:00Z');
    const until = new Date('2026-11-21T00:00:00Z');
    const collected = await collectItems(context, {...emptyRequest(), logs: 'run-b', since, until}, {workFolder: join(stateDir, 'w')});
    expect((await records(record))[0]!.args[2]).toBe(`/q:${eventQuery({since, until})}`);
    expect(collected.items.find(item => item.id === 'eventlog')!.summary).toMatch(/^1 warning\/error entry, 2026-11-20 00:00/);
  });

  it('falls back to Get-WinEvent through PowerShell when wevtutil is missing', async () => {
    await writeStub(stubs, 'powershell', `process.stdout.write('\\r\\nTimeCreated      : 27.11.2026 09:05:00\\r\\nId               : 1001\\r\\nLevelDisplayName : Error\\r\\n\\r\\nTimeCreated      : 27.11.2026 09:06:00\\r\\nId               : 2002\\r\\nLevelDisplayName : Warning\\r\\n');`);
    // PATH: only the stub folder and node's own folder, so no wevtutil can be found.
    process.env.PATH = `${stubs}${delimiter}${join(process.execPath, '..')}`;
    const stateDir = tempDir('state');
    const context = makeContext(stateDir, sandboxWithSecrets(), {platform: 'win32'});
    const collected = await collectItems(context, {...emptyRequest()}, {workFolder: join(stateDir, 'w'), now: new Date('2026-11-27T12:00:00Z')});
    const eventlog = collected.items.find(item => item.id === 'eventlog')!;
    expect(eventlog.summary).toMatch(/^2 warning\/error entries, 2026-11-26 12:00 - 2026-11-27 12:00 UTC/);
    const [call] = await records(record);
    expect(call!.tool).toBe('powershell');
    expect(call!.args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
    expect(call!.args[3]).toContain("Get-WinEvent -FilterHashtable $filter");
    expect(call!.args[3]).toContain("LogName='Net at Work Mail Gateway'; Level=1,2,3; StartTime=[datetime]'2026-11-26T12:00:00.000Z'");
  });

  it('shows why when the export fails, and asks for a file instead', async () => {
    await writeStub(stubs, 'wevtutil', `process.stderr.write('Failed to read events. The specified channel could not be found.\\r\\n'); process.exit(87);`);
    process.env.PATH = `${stubs}${delimiter}${savedPath}`;
    const stateDir = tempDir('state');
    const context = makeContext(stateDir, sandboxWithSecrets(), {platform: 'win32'});
    const collected = await collectItems(context, {...emptyRequest()}, {workFolder: join(stateDir, 'w')});
    const eventlog = collected.items.find(item => item.id === 'eventlog')!;
    expect(eventlog.status).toBe('to-enter');
    expect(eventlog.summary).toContain('exit 87');
    expect(eventlog.summary).toContain('channel could not be found');
  });

  it('counts the entries of exported files', () => {
    expect(countEvents(sampleText)).toBe(3);
    expect(countEvents('Level,Date and Time,Source,Event ID,Task Category\r\nError,a,b,1,c\r\nWarning,a,b,2,c\r\n')).toBe(2);
    expect(countEvents('<Events><Event xmlns="x"></Event><Event xmlns="x"></Event></Events>')).toBe(2);
  });
});
