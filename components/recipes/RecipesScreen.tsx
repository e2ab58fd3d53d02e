import React, {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import type {ScreenProps} from '../screen-types.js';
import {Menu} from '../widgets/Menu.js';
import {AzureRdnsScreen} from './AzureRdnsScreen.js';
import {DbRightsScreen} from './DbRightsScreen.js';
import {TcpTunnelScreen} from './TcpTunnelScreen.js';
import {WebPortalScreen} from './WebPortalScreen.js';

type RecipeId = 'tcp-tunnel' | 'azure-rdns' | 'db-rights' | 'webportal';

const recipes: {value: RecipeId | 'back'; label: string; hint?: string}[] = [
  {value: 'tcp-tunnel', label: 'TCP proxy tunnel', hint: 'port 25 blocked: send via proxy.nospamproxy.de'},
  {value: 'azure-rdns', label: 'Azure reverse DNS', hint: 'the az command for the PTR record'},
  {value: 'db-rights', label: 'Database rights', hint: 'another admin: login, sysadmin, db_owner'},
  {value: 'webportal', label: 'WebPortal checks', hint: 'KB926642 / KB951016 registry values'},
  {value: 'back', label: 'Back'},
];

/** The knowledge-base recipes: a menu, each recipe its own screen. */
export function RecipesScreen({context, back, setKeyHelp}: ScreenProps) {
  const [open, setOpen] = useState<RecipeId | undefined>();
  const [lastIndex, setLastIndex] = useState(0);
  useEffect(() => {
    if (!open) setKeyHelp([['Up/Down, 1-4', 'move'], ['Enter', 'open a recipe'], ['Esc', 'back']]);
  }, [open, setKeyHelp]);
  const close = () => setOpen(undefined);
  const props = {context, onBack: close, setKeyHelp};
  if (open === 'tcp-tunnel') return <TcpTunnelScreen {...props} />;
  if (open === 'azure-rdns') return <AzureRdnsScreen {...props} />;
  if (open === 'db-rights') return <DbRightsScreen {...props} />;
  if (open === 'webportal') return <WebPortalScreen {...props} />;
  return (
    <Box flexDirection="column">
      <Text bold>Knowledge-base recipes</Text>
      <Text dimColor>The mechanical steps done for you, and the result checked.</Text>
      <Box marginTop={1}>
        <Menu
          items={recipes}
          initialIndex={lastIndex}
          onBack={back}
          onSelect={item => {
            if (item.value === 'back') return back();
            setLastIndex(recipes.findIndex(recipe => recipe.value === item.value));
            setOpen(item.value);
          }}
        />
      </Box>
    </Box>
  );
}
