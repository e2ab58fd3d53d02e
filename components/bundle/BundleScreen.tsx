import {notBuiltScreen} from '../shell/NotBuilt.js';

export const BundleScreen = notBuiltScreen('Support data bundle');
