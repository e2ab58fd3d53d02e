import type {BuildOptions, BuildResult} from 'esbuild';

export declare const bundleOptions: BuildOptions;
export declare function buildConsole(): Promise<BuildResult<{metafile: true}>>;
