import {notBuiltScreen} from '../shell/NotBuilt.js';

export const CyrenScreen = notBuiltScreen('CYREN proxy settings');
