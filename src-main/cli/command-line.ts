/** What the command-line tools share: output functions, argument parsing with the common exits, and the entry point. */
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Print = (text: string) => void;

type Options = NonNullable<ParseArgsConfig['options']>;

/** Every command takes `-h`/`--help`. */
const HELP = { help: { type: 'boolean', short: 'h', default: false } } as const;

/** What the commands that take a recorded session and write a file share: `--out FILE`, `--data DIR`, `--session ID`. */
export const SESSION_FILE_OPTIONS = {
  out: { type: 'string' },
  data: { type: 'string' },
  session: { type: 'string' },
} as const;

/**
 * A failure the user can act on (an error of one of `kinds`, such as the data
 * folder in use): its message on stderr and exit status 1. Anything else is a
 * bug and is thrown on.
 */
export function failure(error: unknown, err: Print, kinds: ReadonlyArray<abstract new (...args: never[]) => Error>): 1 {
  if (!(error instanceof Error) || !kinds.some((kind) => error instanceof kind)) throw error;
  err(error.message);
  return 1;
}

interface Config<O extends Options> {
  args: string[];
  options: O & typeof HELP;
  allowPositionals: boolean;
  strict: true;
}

/** What `parseArgs` gives for the command's options (plus `help`), and `usage(message)` for a usage error. */
export type CommandLine<O extends Options> = ReturnType<typeof parseArgs<Config<O>>> & {
  /** Prints `message` and the usage to stderr; returns exit status 2. */
  usage: (message: string) => 2;
};

/**
 * Parses `argv` strictly against the command's options. A usage error is
 * printed with the usage (exit 2), `--help` prints the usage (exit 0);
 * otherwise the parsed command line comes back for the command to use.
 */
export function commandLine<const O extends Options>(
  argv: readonly string[],
  spec: { options: O; positionals?: boolean },
  usage: string,
  out: Print,
  err: Print,
): CommandLine<O> | { exit: number } {
  const usageError = (message: string): 2 => {
    err(`${message}\n\n${usage}`);
    return 2;
  };
  let parsed: ReturnType<typeof parseArgs<Config<O>>>;
  try {
    parsed = parseArgs<Config<O>>({ args: [...argv], options: { ...spec.options, ...HELP }, allowPositionals: spec.positionals ?? true, strict: true });
  } catch (error) {
    return { exit: usageError(error instanceof Error ? error.message : String(error)) };
  }
  if ((parsed.values as { help?: boolean }).help) {
    out(usage);
    return { exit: 0 };
  }
  return { ...parsed, usage: usageError };
}

/** Runs `main` with the process's arguments when `moduleUrl` is the script node was started with. */
export function runIfMain(moduleUrl: string, main: (argv: string[]) => number | Promise<number>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  void Promise.resolve(main(process.argv.slice(2))).then((status) => {
    process.exitCode = status;
  });
}
