import type { LintResult } from "../engine/results.js";

export interface FormatterContext {
  /** Working directory: paths are shown relative to it. */
  cwd: string;
  /** Whether to use ANSI colours. */
  color: boolean;
  /** Source text of a linted file, for formatters that show the offending line. */
  sourceOf(filePath: string): string | undefined;
}

/**
 * A formatter is a plain function from results to text, like ESLint's. It may also offer `chunks`: the
 * same text in pieces, which the CLI writes as they come instead of holding the whole report (the json
 * formatter does: 11 MB for 5,000 migrations).
 */
export type Formatter = ((results: LintResult[], context: FormatterContext) => string) & {
  chunks?: (results: LintResult[], context: FormatterContext) => Iterable<string>;
};
