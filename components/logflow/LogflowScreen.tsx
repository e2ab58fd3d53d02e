import {notBuiltScreen} from '../shell/NotBuilt.js';

export const LogflowScreen = notBuiltScreen('Troubleshooting logs');
