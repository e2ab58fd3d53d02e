import {notBuiltScreen} from '../shell/NotBuilt.js';

export const KeyserverScreen = notBuiltScreen('Key-server lookup');
