import React, {useEffect, useRef, useState} from 'react';
import {dirname} from 'node:path';
import {Box, Text} from 'ink';
import {formatBytes} from '../../source/archive/zip-writer.js';
import {listFolder, pickerStartFolder, rememberPickerFolder, typedPath, type FolderEntry} from '../../source/bundle/file-browser.js';
import {errorMessage} from '../../source/errors.js';
import {isChar, isDown, isUp, type Key} from '../../source/input/keys.js';
import {useKeys} from '../input/key-router.js';
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
  const latest = useRef({entries, index, selected});
  latest.current = {entries, index, selected};

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
  const toggle = (path: string) => {
    const current = latest.current.selected;
    const next = current.includes(path) ? current.filter(item => item !== path) : multiple ? [...current, path] : [path];
    latest.current.selected = next;
    setSelected(next);
    if (!multiple) onDone(next);
  };
  const pageSize = Math.max(3, layout.bodyRows - 5);
  useKeys((key: Key) => {
    const {entries: list, index: at} = latest.current;
    const entry = list[at];
    if (isUp(key)) setIndex(current => Math.max(0, current - 1));
    else if (isDown(key)) setIndex(current => Math.min(list.length - 1, current + 1));
    else if (key.name === 'pageup') setIndex(current => Math.max(0, current - pageSize));
    else if (key.name === 'pagedown') setIndex(current => Math.min(list.length - 1, current + pageSize));
    else if (key.name === 'home') setIndex(0);
    else if (key.name === 'end') setIndex(Math.max(0, list.length - 1));
    else if (key.name === 'escape') onCancel();
    else if (key.name === 'backspace' || key.name === 'left') {
      const parent = list.find(item => item.name === '..');
      if (parent) open(parent.path);
    } else if ((key.name === 'return' || key.name === 'right') && entry?.kind === 'folder') open(entry.path);
    else if ((key.name === 'return' || key.name === 'space') && entry?.kind === 'file') toggle(entry.path);
    else if (isChar(key, 'a') && extensions) setShowAll(current => !current);
    else if (isChar(key, 'd')) onDone(latest.current.selected);
    else if (isChar(key, 'g')) setTyping(true);
  }, {isActive: !typing, holdKeys: folder === undefined});
  const goTo = (text: string) => {
    setTyping(false);
    typedPath(text, folder ?? '.').then(
      found => {
        if (!found || found.kind === 'other') return setProblem(`${text.trim()}: not found (or not a file or folder)`);
        setProblem(undefined);
        if (found.kind === 'folder') return open(found.path);
        open(dirname(found.path));
        if (!latest.current.selected.includes(found.path)) toggle(found.path);
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
        <TextField label="Go to (folder or file)" initialValue={folder} onSubmit={goTo} onCancel={() => setTyping(false)} />
      ) : (
        <Text dimColor>{cutEnd(`${pages > 1 ? `page ${Math.floor(index / pageSize) + 1}/${pages}  ` : ''}Enter open/pick  Bksp up  ${extensions ? `a ${showAll ? extensions.join(',') + ' only' : 'all files'}  ` : ''}g go to a path  d done  Esc cancel`, width, g.ellipsis)}</Text>
      )}
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
