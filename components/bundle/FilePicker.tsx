import React, {useEffect, useRef, useState} from 'react';
import {dirname} from 'node:path';
import {Box, Text} from 'ink';
import {formatBytes} from '../../source/archive/zip-writer.js';
import {listFolder, pickerStartFolder, rememberPickerFolder, typedPath, type FolderEntry} from '../../source/bundle/file-browser.js';
import {errorMessage} from '../../source/errors.js';
import {isChar, isDown, isUp} from '../../source/input/keys.js';
import {useKeyTable} from '../input/key-table.js';
import {glyphs, useLayout} from '../layout.js';
import {TextField} from '../widgets/TextField.js';

export interface FilePickerProps {
  title: string;
  /** Where to open; without it the last folder used (settings.json), else the user's documents. */
  startFolder?: string;
  /** Where the last folder used is remembered. */
  stateDir?: string;
  /** Only these file types are listed until 'a' shows all. */
  extensions?: readonly string[];
  multiple: boolean;
  initialSelection?: readonly string[];
  onDone: (paths: string[]) => void;
  onCancel: () => void;
}

/**
 * Keyboard file picker: Up/Down move, Enter opens a folder or picks a file (Space too),
 * Backspace/Left goes to the parent folder, 'a' shows all files, 'd' finishes, Esc cancels.
 */
export function FilePicker({title, startFolder, stateDir, extensions, multiple, initialSelection = [], onDone: done, onCancel}: FilePickerProps) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  // Undefined until the start folder is known (keys wait meanwhile).
  const [folder, setFolder] = useState<string | undefined>(startFolder);
  // Going up: the folder we came from gets the cursor once the parent is listed.
  const cameFrom = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (startFolder) return;
    let live = true;
    void pickerStartFolder(stateDir).then(found => live && setFolder(found));
    return () => {
      live = false;
    };
  }, [startFolder, stateDir]);
  const onDone = (paths: string[]) => {
    // The folder the pick was made in is where the next picker opens.
    if (stateDir && folder) void rememberPickerFolder(stateDir, folder).catch(() => {});
    done(paths);
  };
  const [entries, setEntries] = useState<FolderEntry[]>([]);
  const [index, setIndex] = useState(0);
  const [selected, setSelected] = useState<string[]>([...initialSelection]);
  const [showAll, setShowAll] = useState(!extensions);
  const [problem, setProblem] = useState<string | undefined>();
  // 'g': type a folder or file (another drive, a folder too big to scroll through).
  const [typing, setTyping] = useState(false);

  useEffect(() => {
    if (!folder) return;
    let live = true;
    listFolder(folder, showAll ? undefined : extensions).then(
      list => {
        if (!live) return;
        setEntries(list);
        const from = cameFrom.current === undefined ? -1 : list.findIndex(entry => entry.name !== '..' && entry.path === cameFrom.current);
        cameFrom.current = undefined;
        setIndex(current => (from >= 0 ? from : Math.min(current, Math.max(0, list.length - 1))));
        setProblem(undefined);
      },
      error => live && setProblem(`${folder}: ${errorMessage(error)}`),
    );
    return () => {
      live = false;
    };
  }, [folder, showAll, extensions]);

  const open = (path: string) => {
    cameFrom.current = folder;
    setFolder(path);
    setIndex(0);
  };
  // The key boundary hands over the next key only after this one's render: `selected` is current here.
  const toggle = (path: string) => {
    const next = selected.includes(path) ? selected.filter(item => item !== path) : multiple ? [...selected, path] : [path];
    setSelected(next);
    if (!multiple) onDone(next);
  };
  const pageSize = Math.max(3, layout.bodyRows - 5);
  const entry = entries[index];
  const parent = entries.find(item => item.name === '..');
  useKeyTable(
    [
      {keys: 'Up/Down', does: 'move', matches: key => isUp(key) || isDown(key), run: key => setIndex(current => (isUp(key) ? Math.max(0, current - 1) : Math.min(entries.length - 1, current + 1))), helpOnly: true},
      {keys: 'PgUp/PgDn', does: 'page', matches: key => key.name === 'pageup' || key.name === 'pagedown', run: key => setIndex(current => (key.name === 'pageup' ? Math.max(0, current - pageSize) : Math.min(entries.length - 1, current + pageSize))), helpOnly: true},
      {keys: 'Home/End', does: 'first / last', matches: key => key.name === 'home' || key.name === 'end', run: key => setIndex(key.name === 'home' ? 0 : Math.max(0, entries.length - 1)), helpOnly: true},
      {keys: 'Enter', does: 'open', matches: key => key.name === 'return' || key.name === 'right', run: () => entry && open(entry.path), when: entry?.kind === 'folder'},
      {keys: 'Enter/Space', does: multiple ? 'pick / unpick' : 'pick', matches: key => key.name === 'return' || key.name === 'space', run: () => entry && toggle(entry.path), when: entry?.kind === 'file'},
      {keys: 'Bksp', does: 'up', matches: key => key.name === 'backspace' || key.name === 'left', run: () => parent && open(parent.path), when: parent !== undefined},
      {keys: 'a', does: showAll ? `${(extensions ?? []).join(',')} only` : 'all files', matches: key => isChar(key, 'a'), run: () => setShowAll(current => !current), when: extensions !== undefined},
      {keys: 'g', does: 'go to a path', matches: key => isChar(key, 'g'), run: () => setTyping(true)},
      {keys: 'd', does: 'done', matches: key => isChar(key, 'd'), run: () => onDone(selected)},
      {keys: 'Esc', does: 'cancel', matches: key => key.name === 'escape', run: onCancel},
    ],
    {isActive: !typing, holdKeys: folder === undefined},
  );
  const goTo = (text: string) => {
    setTyping(false);
    typedPath(text, folder ?? '.').then(
      found => {
        if (!found || found.kind === 'other') return setProblem(`${text.trim()}: not found (or not a file or folder)`);
        setProblem(undefined);
        if (found.kind === 'folder') return open(found.path);
        open(dirname(found.path));
        if (!selected.includes(found.path)) toggle(found.path);
      },
      error => setProblem(errorMessage(error)),
    );
  };

  const start = Math.floor(index / pageSize) * pageSize;
  const visible = entries.slice(start, start + pageSize);
  const pages = Math.max(1, Math.ceil(entries.length / pageSize));
  const width = layout.columns - 2;
  return (
    <Box flexDirection="column">
      <Text bold>{cutEnd(`${title}: ${selected.length} chosen`, width, g.ellipsis)}</Text>
      <Text dimColor>{cutStart(folder ?? `finding your documents folder${g.ellipsis}`, width, g.ellipsis)}</Text>
      {problem ? <Text color="red">{cutEnd(problem, width, g.ellipsis)}</Text> : null}
      {visible.length === 0 ? <Text dimColor>{showAll || !extensions ? '(empty folder)' : `(no ${extensions.join(' ')} files here; 'a' shows all)`}</Text> : null}
      {visible.map((entry, offset) => {
        const active = start + offset === index;
        const mark = entry.kind === 'folder' ? '   ' : selected.includes(entry.path) ? `[${g.check}]` : '[ ]';
        const label = entry.kind === 'folder' ? `${entry.name}/` : entry.name;
        const size = entry.kind === 'file' ? formatBytes(entry.size) : '';
        const line = `${active ? g.pointer : ' '} ${mark} ${label}`;
        return (
          <Text key={entry.path + entry.name} color={active ? 'cyan' : undefined} wrap="truncate-end">
            {`${line.slice(0, Math.max(10, width - 12)).padEnd(Math.max(10, width - 12))}${size.padStart(10)}`}
          </Text>
        );
      })}
      {typing ? (
        <TextField label="Go to (folder or file)" initialValue={folder} enterDoes="go there" escDoes="cancel" onSubmit={goTo} onCancel={() => setTyping(false)} />
      ) : pages > 1 ? (
        <Text dimColor>{`page ${Math.floor(index / pageSize) + 1}/${pages}`}</Text>
      ) : null}
    </Box>
  );
}

// Cut here, not by Ink: its ellipsis is not ASCII.
function cutEnd(text: string, width: number, ellipsis: string): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - ellipsis.length))}${ellipsis}`;
}

/** Keeps the end of a long folder path (the part that says where you are). */
function cutStart(text: string, width: number, ellipsis: string): string {
  return text.length <= width ? text : `${ellipsis}${text.slice(text.length - Math.max(0, width - ellipsis.length))}`;
}
