import type { LintResult } from "../engine/results.js";

export interface FormatterContext {
  /** Working directory: paths are shown relative to it. */
  cwd: string;
  /** Whether to use ANSI colours. */
  color: boolean;
  /** Source text of a linted file, for formatters that show the offending line. */
  sourceOf(filePath: string): string | undefined;
}

/** A formatter is a plain function from results to text, like ESLint's. */
export type Formatter = (results: LintResult[], context: FormatterContext) => string;
