import {notBuiltScreen} from '../shell/NotBuilt.js';

export const RecipesScreen = notBuiltScreen('Recipes');
