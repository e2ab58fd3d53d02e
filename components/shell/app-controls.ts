import {createContext, useContext} from 'react';

/** Shell-wide switches a screen may flip. */
export interface AppControls {
  setAscii: (ascii: boolean) => void;
}

export const AppControlsContext = createContext<AppControls>({setAscii: () => {}});

export function useAppControls(): AppControls {
  return useContext(AppControlsContext);
}
