import type {BuildOptions} from 'esbuild';

export declare const bundleOptions: BuildOptions;
export declare function buildConsole(): Promise<void>;
