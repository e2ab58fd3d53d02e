import packageJson from '../package.json' with {type: 'json'};

export const toolName = 'nsp-console';
export const toolVersion: string = packageJson.version;
