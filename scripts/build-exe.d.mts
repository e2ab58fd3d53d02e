export declare const nodeWindows: {package: string; version: string; integrity: string};
export declare const exePath: string;
export declare const zipPath: string;
export declare function makeSeaExe(main: string, assets: Record<string, string>, outExe: string): Promise<void>;
export declare function buildExe(): Promise<void>;
export declare function securityDirectoryOffset(exe: Buffer): number;
