import React, {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {join} from 'node:path';
import type {ConsoleContext} from '../../source/context.js';
import {errorMessage} from '../../source/errors.js';
import {validityText, type CertificateDetails} from '../../source/keyservers/certificate.js';
import {certificateLines, unusableReasons} from '../../source/keyservers/format.js';
import type {DirectoryResult} from '../../source/keyservers/lookup.js';
import {isDown, isUp, isChar} from '../../source/input/keys.js';
import {useKeyTable} from '../input/key-table.js';
import {useLayout} from '../layout.js';
import {Menu} from '../widgets/Menu.js';
import {TextField} from '../widgets/TextField.js';
import {Line} from './Line.js';
import {wrapLines} from './wrap.js';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The certificates one directory returned: a list, then the details of one, with export. */
export function CertificateView({context, result, onBack}: {context: ConsoleContext; result: DirectoryResult; onBack: () => void}) {
  const [index, setIndex] = useState<number | undefined>(result.certificates.length === 1 ? 0 : undefined);
  const layout = useLayout();
  if (index === undefined) {
    return (
      <Box flexDirection="column">
        <Line bold>{`${result.name}: ${count(result.certificates.length, 'certificate', 'certificates')} on ${count(result.entries, 'entry', 'entries')}${result.truncated ? ' (cut by a size limit)' : ''}`}</Line>
        <Menu
          items={result.certificates.map((found, position) => ({
            value: String(position),
            label: (/CN=([^,]+)/.exec(found.details.subject)?.[1] ?? found.details.subject).slice(0, 30),
            hint: shortSummary(found.details),
          }))}
          maxRows={layout.bodyRows - 3}
          onSelect={item => setIndex(Number(item.value))}
          onBack={onBack}
        />
      </Box>
    );
  }
  return <CertificateDetailsView context={context} result={result} index={index} onBack={() => (result.certificates.length === 1 ? onBack() : setIndex(undefined))} />;
}

/** Fits next to a 30-character name in 80 columns: "expires in 729 days; encrypt+sign". */
function shortSummary(details: CertificateDetails): string {
  const usage = details.canEncrypt && details.canSign ? 'encrypt+sign' : details.canEncrypt ? 'encrypt only' : details.canSign ? 'sign only' : 'not usable';
  // Not usable and still valid: the first reason (e.g. "extended key usage is clientAuth only") says why.
  const why = !details.canEncrypt && !details.canSign && !details.expired && !details.notYetValid ? unusableReasons(details)[0] : undefined;
  return (why ? `not usable: ${why}` : `${validityText(details)}; ${usage}`).slice(0, 44);
}

function CertificateDetailsView({context, result, index, onBack}: {context: ConsoleContext; result: DirectoryResult; index: number; onBack: () => void}) {
  const layout = useLayout();
  const found = result.certificates[index]!;
  const [page, setPage] = useState(0);
  const [exporting, setExporting] = useState(false);
  const [message, setMessage] = useState<{text: string; error: boolean} | undefined>();
  const lines = wrapLines(certificateLines(found.details), Math.max(20, layout.columns - 2));
  // The title, the page indicator and the message take the rows the details leave (one spare).
  const pageSize = Math.max(3, layout.bodyRows - 4 - (exporting ? 2 : 0) - (message ? Math.ceil(message.text.length / Math.max(20, layout.columns)) : 0));
  const pages = Math.ceil(lines.length / pageSize);
  useEffect(() => setPage(current => Math.min(current, pages - 1)), [pages]);
  // While the folder is typed, the field's own table is in use (Enter export, Esc cancel).
  useKeyTable(
    [
      {keys: 'PgUp/PgDn', does: 'page', matches: key => key.name === 'pagedown' || key.name === 'pageup' || isDown(key) || isUp(key) || key.name === 'space', run: key => setPage(current => (key.name === 'pageup' || isUp(key) ? Math.max(0, current - 1) : Math.min(pages - 1, current + 1))), when: pages > 1},
      {
        keys: 'x',
        does: 'export PEM+DER',
        matches: key => isChar(key, 'x') || isChar(key, 'e'),
        run: () => {
          setMessage(undefined);
          setExporting(true);
        },
      },
      {keys: 'Esc', does: 'back', matches: key => key.name === 'escape' || key.name === 'backspace', run: onBack},
    ],
    {isActive: !exporting},
  );
  const exportTo = (folder: string) => {
    setExporting(false);
    void import('../../source/keyservers/export.js')
      .then(({exportCertificate}) => exportCertificate(found, folder.trim()))
      .then(
        files => setMessage({text: `Saved ${files.pem} and ${files.der}`, error: false}),
        error => setMessage({text: `Not exported: ${errorMessage(error)}`, error: true}),
      );
  };
  return (
    <Box flexDirection="column">
      <Line bold>{`${result.name}: certificate ${index + 1} of ${result.certificates.length}`}</Line>
      {lines.slice(page * pageSize, (page + 1) * pageSize).map((line, offset) => (
        <Text key={`${page}-${offset}`}>{line}</Text>
      ))}
      {pages > 1 ? <Text dimColor>{`page ${page + 1}/${pages} (PgUp/PgDn)`}</Text> : null}
      {exporting ? (
        <TextField
          label="Export to folder"
          initialValue={join(context.stateDir, 'certificates')}
          validate={value => (value.trim().length === 0 ? 'Type a folder.' : undefined)}
          onSubmit={exportTo}
          onCancel={() => setExporting(false)}
        />
      ) : null}
      {message ? (
        <Text color={message.error ? 'red' : 'green'}>{message.text}</Text>
      ) : null}
    </Box>
  );
}
