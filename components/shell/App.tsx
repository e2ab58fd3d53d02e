import React, {useCallback, useEffect, useRef, useState} from 'react';
import {Box, type DOMElement, measureElement, Text, useApp} from 'ink';
import type {ConsoleContext} from '../../source/context.js';
import {describeEnvironment, type EnvironmentReport} from '../../source/environment.js';
import {errorMessage} from '../../source/errors.js';
import {runShutdownHandlers} from '../../source/system/shutdown.js';
import {KeyRouter, SuspendKeys, useKeys} from '../input/key-router.js';
import {LayoutProvider, useLayout} from '../layout.js';
import {Menu} from '../widgets/Menu.js';
import {AppControlsContext} from './app-controls.js';
import {Footer} from './Footer.js';
import {Header} from './Header.js';
import {HelpOverlay} from './HelpOverlay.js';
import {menuEntries} from './menu-entries.js';
import type {KeyHelp, ScreenComponent} from '../screen-types.js';
import {startupScreen} from './startup.js';

interface OpenScreen {
  label: string;
  Component: ScreenComponent;
}

export interface AppProps {
  context: ConsoleContext;
  /** Skips the environment probe (tests). */
  report?: EnvironmentReport;
  /** Told after every render in which the screen's content is taller than the body (it is cut); tests fail on it. */
  onOverflow?: (overflow: FrameOverflow) => void;
}

export interface FrameOverflow {
  title: string;
  /** Lines the screen drew. */
  height: number;
  /** Lines the body has. */
  bodyRows: number;
}

/** The shell: header, one screen at a time (main menu at the bottom of the stack), footer, help. */
export function App({context, report: givenReport, onOverflow}: AppProps) {
  const [ascii, setAscii] = useState(context.ascii);
  return (
    <AppControlsContext.Provider value={{setAscii}}>
      <LayoutProvider ascii={ascii} color={context.color}>
        <Shell context={context} givenReport={givenReport} onOverflow={onOverflow} />
      </LayoutProvider>
    </AppControlsContext.Provider>
  );
}

function Shell({context, givenReport, onOverflow}: {context: ConsoleContext; givenReport?: EnvironmentReport; onOverflow?: (overflow: FrameOverflow) => void}) {
  const {exit} = useApp();
  const layout = useLayout();
  const [report, setReport] = useState<EnvironmentReport | undefined>(givenReport);
  const [stack, setStack] = useState<OpenScreen[]>([]);
  const [loading, setLoading] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [lastRun, setLastRun] = useState<string | undefined>();
  const [helpOpen, setHelpOpen] = useState(false);
  // The keys of the table in use when '?' was pressed (the help shows exactly those).
  const [tableHelp, setTableHelp] = useState<KeyHelp | undefined>();
  const [keyHelp, setKeyHelp] = useState<KeyHelp>([]);

  useEffect(() => {
    if (!givenReport) describeEnvironment(context).then(setReport, () => {});
    startupScreen(context).then(first => first && setStack([first]), error => setProblem(errorMessage(error)));
    // Once per interrupted log-flow run: what happened to it.
    import('../../source/logflow/last-run.js').then(({lastRunNotice}) => lastRunNotice(context.stateDir)).then(setLastRun, () => {});
  }, [context, givenReport]);

  const quit = useCallback(() => {
    void runShutdownHandlers('quit').finally(() => exit());
  }, [exit]);
  const back = useCallback(() => {
    setKeyHelp([]);
    setStack(current => current.slice(0, -1));
  }, []);
  const open = useCallback((label: string, load: () => Promise<ScreenComponent>) => {
    setProblem(undefined);
    setLoading(label);
    load().then(
      Component => {
        setLoading(undefined);
        setKeyHelp([]);
        setStack(current => [...current, {label, Component}]);
      },
      error => {
        setLoading(undefined);
        setProblem(`${label} could not be opened: ${errorMessage(error)}`);
      },
    );
  }, []);

  const top = stack.at(-1);
  const title = top?.label ?? 'Main menu';
  const content = useRef<DOMElement>(null);
  useEffect(() => {
    if (!onOverflow) return;
    // After the re-render a screen's own measuring may cause (see useMeasuredHeight): only the settled frame counts.
    const timer = setTimeout(() => {
      if (!content.current) return;
      const {height} = measureElement(content.current);
      if (height > layout.bodyRows) onOverflow({title, height, bodyRows: layout.bodyRows});
    }, 0);
    return () => clearTimeout(timer);
  });
  return (
    <KeyRouter
      onHelp={shown => {
        setTableHelp(shown?.map(entry => [entry.keys, entry.does] as const));
        setHelpOpen(true);
      }}
      onCtrlC={quit}
      onQuit={quit}
    >
      {/* One budget: header, a blank line, the body, the footer; header and footer never shrink. */}
      <Box flexDirection="column" width={layout.columns} height={Math.max(6, layout.rows - 1)}>
        <Box flexShrink={0} flexDirection="column">
          <Header context={context} report={report} title={title} />
        </Box>
        <Box flexDirection="column" flexGrow={1} flexShrink={1} marginTop={1} overflow="hidden">
          <Box ref={content} flexDirection="column" flexShrink={0}>
          {helpOpen ? <HelpOverlay title={title} keys={tableHelp ? [...(top ? keyHelp : []), ...tableHelp] : top ? keyHelp : []} onlyTheseKeys={tableHelp !== undefined && (!top || keyHelp.length === 0)} onClose={() => setHelpOpen(false)} /> : null}
          {/* The screen stays mounted behind the help (a running flow keeps its state and timers); hidden, no keys. */}
          <Box flexDirection="column" display={helpOpen ? 'none' : 'flex'}>
            <SuspendKeys suspended={helpOpen}>
              {top ? (
                <top.Component context={context} back={back} setKeyHelp={setKeyHelp} quit={quit} />
              ) : (
                <MainMenu onOpen={open} busy={loading !== undefined} />
              )}
            </SuspendKeys>
          </Box>
          {loading ? <Text dimColor>{`Opening ${loading}...`}</Text> : null}
          {problem ? <Text color="red">{problem}</Text> : null}
          {context.stateDirNote && !top ? <Text color="yellow" wrap="wrap">{context.stateDirNote}</Text> : null}
          {lastRun && !top ? <Text color="yellow" wrap="wrap">{lastRun}</Text> : null}
          </Box>
        </Box>
        <Box flexShrink={0}>
          <Footer />
        </Box>
      </Box>
    </KeyRouter>
  );
}

function MainMenu({onOpen, busy}: {onOpen: (label: string, load: () => Promise<ScreenComponent>) => void; busy: boolean}) {
  // While the chosen screen's code loads, typed keys wait for it (a burst such as "2\raddress\r").
  useKeys(() => {}, {isActive: busy, holdKeys: true});
  return (
    <Box flexDirection="column">
      <Text bold>What do you want to do?</Text>
      <Menu
        items={menuEntries.map(entry => ({value: entry.id, label: entry.label, hint: entry.hint}))}
        isActive={!busy}
        onSelect={item => {
          const entry = menuEntries.find(candidate => candidate.id === item.value)!;
          onOpen(entry.label, entry.load);
        }}
      />
    </Box>
  );
}
