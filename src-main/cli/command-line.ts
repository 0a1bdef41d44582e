/** What the command-line tools share: output functions and argument parsing with the common exits. */

export type Print = (text: string) => void;

/**
 * Runs a command's `parseArgs` call. A usage error is printed with the usage
 * (exit 2), `--help` prints the usage (exit 0); otherwise the parsed command
 * line comes back for the command to use.
 */
export function commandLine<T extends { values: { help?: boolean | undefined } }>(parse: () => T, usage: string, out: Print, err: Print): T | { exit: number } {
  let parsed: T;
  try {
    parsed = parse();
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return { exit: 2 };
  }
  if (parsed.values.help) {
    out(usage);
    return { exit: 0 };
  }
  return parsed;
}
