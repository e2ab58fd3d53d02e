import React, {useState} from 'react';
import {Box, Text} from 'ink';
import {existsSync} from 'node:fs';
import type {ConsoleContext} from '../../source/context.js';
import {errorMessage} from '../../source/errors.js';
import {isBuiltInId, type CatalogueEntry, type Directory} from '../../source/keyservers/catalogue.js';
import {setSessionCredentials} from '../../source/keyservers/credentials.js';
import {checkDirectoryUrl, parseDirectory} from '../../source/keyservers/directory-schema.js';
import {removeCustomDirectory, saveCustomDirectory} from '../../source/keyservers/directory-store.js';
import {checkFilterTemplate} from '../../source/keyservers/filter.js';
import {isChar, isDown, isUp} from '../../source/input/keys.js';
import {useKeyTable} from '../input/key-table.js';
import {glyphs, useLayout} from '../layout.js';
import {nameCell} from './rows.js';
import {Line} from './Line.js';
import {Wizard, type WizardStep} from './Wizard.js';

type Mode = {kind: 'list'} | {kind: 'edit'; directory?: CatalogueEntry} | {kind: 'credentials'; directory: CatalogueEntry} | {kind: 'remove'; directory: CatalogueEntry};

const yesNo = (value: string) => (/^(y|yes|n|no|j|ja)?$/i.test(value.trim()) ? undefined : 'Answer y or n.');
const isYes = (value: string | undefined) => /^(y|yes|j|ja)$/i.test((value ?? '').trim());

/** Add, edit and remove custom directories; give bind credentials (masked, remembered for the session). */
export function DirectoryManager({context, catalogue, onChanged, onBack, initial, onCredentialsGiven}: {context: ConsoleContext; catalogue: CatalogueEntry[]; onChanged: () => Promise<void>; onBack: () => void; initial?: Mode; onCredentialsGiven?: (directory: CatalogueEntry) => void}) {
  const layout = useLayout();
  const [mode, setMode] = useState<Mode>(initial ?? {kind: 'list'});
  const [storedIndex, setIndexState] = useState(0);
  // The list can shrink under the cursor (the last row removed): keep it on a row that exists.
  const lastIndex = Math.max(0, catalogue.length - 1);
  const index = Math.min(storedIndex, lastIndex);
  const setIndex = (update: (current: number) => number) => setIndexState(current => Math.min(Math.max(0, update(Math.min(current, lastIndex))), lastIndex));
  const [message, setMessage] = useState<{text: string; error: boolean} | undefined>();
  const finish = (text: string, error = false) => {
    setMessage({text, error});
    setMode({kind: 'list'});
    if (initial) onBack();
  };
  const save = (work: Promise<void>, done: string) => {
    work.then(onChanged).then(
      () => finish(done),
      error => finish(`Not saved: ${errorMessage(error)}`, true),
    );
  };

  if (mode.kind === 'remove') return <ConfirmRemove directory={mode.directory} onAnswer={yes => (yes ? save(removeCustomDirectory(context.stateDir, mode.directory.id).then(() => {}), `Removed ${mode.directory.name}.`) : setMode({kind: 'list'}))} />;
  if (mode.kind === 'credentials') {
    const directory = mode.directory;
    const steps: WizardStep[] = [
      {key: 'bindDn', label: 'Bind DN', initial: directory.bindDn ?? directory.bindDnHint ?? '', validate: value => (value.trim().length === 0 ? 'Type the bind DN you were given.' : undefined)},
      {key: 'password', label: 'Password', mask: true, validate: value => (value.length === 0 ? 'Type the password.' : undefined)},
      {key: 'store', label: 'Store the password in settings.json? (y/N)', validate: yesNo},
    ];
    return (
      <Wizard
        title={`Credentials for ${directory.name}`}
        steps={steps}
        maxVisible={layout.bodyRows - 4}
        onCancel={() => (initial ? onBack() : setMode({kind: 'list'}))}
        onDone={answers => {
          const bindDn = answers.bindDn!.trim();
          const password = answers.password!;
          setSessionCredentials(directory.id, bindDn, password);
          onCredentialsGiven?.(directory);
          const {source: _source, ...plain} = directory;
          const store = isYes(answers.store);
          save(saveCustomDirectory(context.stateDir, {...plain, bindDn, password: store ? password : null}, {storePassword: store}), store ? `Credentials for ${directory.name} saved (password stored).` : `Bind DN saved; the password is kept for this session only.`);
        }}
      />
    );
  }
  if (mode.kind === 'edit') {
    const existing = mode.directory;
    const steps = directorySteps(catalogue, existing);
    return (
      <Wizard
        title={existing ? `Edit ${existing.name}` : 'Add a directory'}
        steps={steps}
        maxVisible={layout.bodyRows - 5}
        onCancel={() => setMode({kind: 'list'})}
        onDone={answers => {
          let directory: Directory;
          try {
            directory = directoryFromAnswers(answers, existing);
          } catch (error) {
            finish(`Not saved: ${errorMessage(error)}`, true);
            return;
          }
          const typedPassword = answers.password ?? '';
          const store = isYes(answers.store);
          if (typedPassword.length > 0 && directory.bindDn) setSessionCredentials(directory.id, directory.bindDn, typedPassword);
          const keepStored = typedPassword.length === 0 && existing?.password && existing.bindDn === directory.bindDn;
          const password = typedPassword.length > 0 ? typedPassword : keepStored ? existing!.password : null;
          save(saveCustomDirectory(context.stateDir, {...directory, password}, {storePassword: store || Boolean(keepStored), previousId: existing?.id}), `${directory.name} saved.`);
        }}
      />
    );
  }
  return (
    <DirectoryList
      catalogue={catalogue}
      index={index}
      setIndex={setIndex}
      message={message}
      onBack={onBack}
      onKey={(action, directory) => {
        setMessage(undefined);
        if (action === 'add') setMode({kind: 'edit'});
        else if (!directory) return;
        else if (action === 'remove') {
          // Removing a custom entry with a built-in's id brings the built-in back.
          if (directory.source === 'custom') setMode({kind: 'remove', directory});
          else setMessage({text: `${directory.name} is built in and cannot be removed.`, error: true});
        } else if (action === 'credentials') setMode({kind: 'credentials', directory});
        else if (directory.source === 'custom' && !isBuiltInId(directory.id)) setMode({kind: 'edit', directory});
        else if (directory.credentialsRequired || directory.bindDn) setMode({kind: 'credentials', directory});
        else setMessage({text: `${directory.name} is built in (from the knowledge base); add a custom directory with n.`, error: false});
      }}
    />
  );
}

type ListAction = 'open' | 'add' | 'remove' | 'credentials';

function DirectoryList({catalogue, index, setIndex, message, onBack, onKey}: {catalogue: CatalogueEntry[]; index: number; setIndex: (update: (current: number) => number) => void; message?: {text: string; error: boolean}; onBack: () => void; onKey: (action: ListAction, directory?: CatalogueEntry) => void}) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  const count = catalogue.length;
  const pageSize = Math.max(1, Math.min(layout.bodyRows - 4, count));
  const pageStart = Math.floor(index / pageSize) * pageSize;
  const pages = Math.ceil(count / pageSize);
  const chosen = catalogue[index];
  const editable = chosen?.source === 'custom' && !isBuiltInId(chosen.id);
  const takesCredentials = Boolean(chosen?.credentialsRequired || chosen?.bindDn);
  useKeyTable(
    [
      {keys: layout.ascii ? 'Up/Dn' : '↑↓', does: 'move', matches: key => isUp(key) || isDown(key), run: key => setIndex(current => (current + (isUp(key) ? -1 : 1) + count) % count), when: count > 1},
      {keys: 'PgUp/PgDn', does: 'page', matches: key => key.name === 'pageup' || key.name === 'pagedown', run: key => setIndex(current => (key.name === 'pageup' ? Math.max(0, current - pageSize) : Math.min(count - 1, current + pageSize))), when: pages > 1},
      {keys: 'Home/End', does: 'first / last', matches: key => key.name === 'home' || key.name === 'end', run: key => setIndex(() => (key.name === 'home' ? 0 : count - 1)), when: count > 1, helpOnly: true},
      {keys: 'Enter', does: editable ? 'edit' : 'credentials', matches: key => key.name === 'return', run: () => onKey('open', chosen), when: editable || takesCredentials},
      {keys: 'n', does: 'add', matches: key => isChar(key, 'n') || isChar(key, 'a'), run: () => onKey('add')},
      {keys: 'x', does: 'remove', matches: key => isChar(key, 'x') || key.name === 'delete', run: () => onKey('remove', chosen), when: chosen?.source === 'custom'},
      {keys: 'c', does: 'credentials', matches: key => isChar(key, 'c'), run: () => onKey('credentials', chosen), when: chosen !== undefined},
      {keys: 'Esc', does: 'back', matches: key => key.name === 'escape' || key.name === 'backspace', run: onBack},
    ],
    // Enter and x where they do nothing (a built-in directory) are not offered; pressed anyway, they say why.
    {onOtherKey: key => (key.name === 'return' ? onKey('open', chosen) : isChar(key, 'x') || key.name === 'delete' ? onKey('remove', chosen) : undefined)},
  );
  return (
    <Box flexDirection="column">
      <Text bold>{`Directories (${count})`}</Text>
      {catalogue.slice(pageStart, pageStart + pageSize).map((directory, offset) => {
        const selected = pageStart + offset === index;
        const bind = directory.bindDn ? (directory.password ? 'bind, password stored' : 'bind') : directory.credentialsRequired ? 'needs credentials' : 'anonymous';
        return (
          <Box key={directory.id}>
            <Text color={selected ? 'cyan' : undefined}>{selected ? `${g.pointer} ` : '  '}</Text>
            <Text bold={selected}>{nameCell(directory.name, 24, glyphs(layout.ascii).ellipsis)} </Text>
            <Line dimColor width={layout.columns - 27}>{`${directory.source.padEnd(8)} ${bind}  ${directory.url}`}</Line>
          </Box>
        );
      })}
      {pages > 1 ? <Text dimColor>{`page ${Math.floor(index / pageSize) + 1}/${pages} (PgUp/PgDn)`}</Text> : null}
      {message ? (
        <Line color={message.error ? 'red' : 'green'}>{message.text}</Line>
      ) : null}
    </Box>
  );
}

function ConfirmRemove({directory, onAnswer}: {directory: CatalogueEntry; onAnswer: (yes: boolean) => void}) {
  useKeyTable([
    {keys: 'y', does: 'remove', matches: key => isChar(key, 'y') || isChar(key, 'j'), run: () => onAnswer(true)},
    {keys: 'any other key', does: 'keep it', matches: () => true, run: () => onAnswer(false)},
  ]);
  return <Text color="yellow">{`Remove ${directory.name} (${directory.url})? y to remove, any other key keeps it.`}</Text>;
}

function directorySteps(catalogue: CatalogueEntry[], existing?: CatalogueEntry): WizardStep[] {
  return [
    {
      key: 'id',
      label: 'Id (letters, digits, - . _)',
      initial: existing?.id ?? '',
      validate: value => {
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(value.trim())) return 'Use letters, digits, ".", "_" or "-".';
        if (value.trim() !== existing?.id && catalogue.some(directory => directory.id === value.trim())) return `"${value.trim()}" is taken.`;
        return undefined;
      },
    },
    {key: 'name', label: 'Name', initial: existing?.name ?? '', validate: value => (value.trim().length === 0 ? 'Type a name.' : undefined)},
    {key: 'url', label: 'URL', initial: existing?.url ?? 'ldap://', placeholder: 'ldap://host:389 or ldaps://host:636', validate: value => checkDirectoryUrl(value.trim())},
    {key: 'startTls', label: 'StartTLS? (y/N)', initial: existing?.startTls ? 'y' : '', validate: yesNo, skip: answers => answers.url!.trim().toLowerCase().startsWith('ldaps:')},
    {key: 'baseDn', label: 'Base DN (empty: all namingContexts)', initial: existing?.baseDn ?? ''},
    {key: 'bindDn', label: 'Bind DN (empty: anonymous)', initial: existing?.bindDn ?? ''},
    {key: 'password', label: existing?.password ? 'Password (empty: keep stored)' : 'Password (empty: ask each session)', mask: true, skip: answers => answers.bindDn!.trim().length === 0},
    {key: 'store', label: 'Store the password in settings.json? (y/N)', validate: yesNo, skip: answers => answers.bindDn!.trim().length === 0 || (answers.password ?? '').length === 0},
    {key: 'filter', label: 'Filter', initial: existing?.filter ?? '(mail=%e)', validate: value => checkFilterTemplate(value.trim())},
    {
      key: 'attributes',
      label: 'Attributes (comma-separated)',
      initial: (existing?.attributes ?? ['userCertificate;binary']).join(', '),
      validate: value => {
        const names = value.split(',').map(item => item.trim()).filter(Boolean);
        if (names.length === 0) return 'Name at least one attribute, e.g. userCertificate;binary.';
        const bad = names.find(name => !/^[A-Za-z][A-Za-z0-9-]*(;[A-Za-z0-9-]+)*$/.test(name));
        return bad ? `"${bad}" is not an attribute name.` : undefined;
      },
    },
    {key: 'caFile', label: 'CA file for TLS (empty: system CAs)', initial: existing?.caFile ?? '', validate: value => (value.trim().length > 0 && !existsSync(value.trim()) ? `${value.trim()} does not exist.` : undefined)},
  ];
}

/** The same validation as the settings file: what the wizard saves always loads again. */
function directoryFromAnswers(answers: Record<string, string>, existing?: CatalogueEntry): Directory {
  const text = (key: string) => {
    const value = (answers[key] ?? '').trim();
    return value.length > 0 ? value : null;
  };
  return parseDirectory(
    {
      id: text('id'),
      name: text('name'),
      url: text('url'),
      startTls: isYes(answers.startTls),
      bindDn: text('bindDn'),
      password: null,
      baseDn: text('baseDn'),
      filter: text('filter') ?? '(mail=%e)',
      attributes: (answers.attributes ?? '')
        .split(',')
        .map(item => item.trim())
        .filter(Boolean),
      caFile: text('caFile'),
      ...(existing?.credentialsRequired !== undefined ? {credentialsRequired: existing.credentialsRequired} : {}),
    },
    'the new directory',
  );
}
