export declare function isInteractive(argv: readonly string[], stdin?: {isTTY?: boolean}, stdout?: {isTTY?: boolean}): boolean;
export declare function prepareProcess(argv: readonly string[]): void;
export declare function runMain(main: (argv: string[], io: object) => Promise<number>, argv: string[]): Promise<void>;
