// Two kinds of error, caught once in the CLI: a UserError is something the user can fix (shown
// without a stack, exit 1); anything else is a bug in dalec-bake (shown with a stack).

export interface Location {
  file: string;
  line: number;
  col: number;
}

export function formatLocation(loc: Location): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

export class UserError extends Error {
  readonly location: Location | undefined;
  readonly frame: string | undefined;

  constructor(message: string, location?: Location, frame?: string) {
    super(message);
    this.name = "UserError";
    this.location = location;
    this.frame = frame;
  }

  /** The one line (plus an optional code frame) the CLI prints. */
  render(): string {
    const head = this.location ? `${formatLocation(this.location)}: ${this.message}` : this.message;
    return this.frame ? `${head}\n${this.frame}` : head;
  }
}

/** Drift found by `gen --check`: not a failure of the tool, but exit code 1. */
export class DriftError extends UserError {
  constructor(readonly files: readonly string[]) {
    super(`generated files are out of date (run dalec-bake gen):\n${files.map((f) => `  ${f}`).join("\n")}`);
    this.name = "DriftError";
  }
}
