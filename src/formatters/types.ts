import type { LintResult } from "../engine/results.js";
import type { StatementLocks } from "../dialects/postgres/locks.js";

export interface FormatterContext {
  /** Working directory: paths are shown relative to it. */
  cwd: string;
  /**
   * Root of the git repository `cwd` is in (the CLI sets it when there is one). The formats CI reads
   * (github, sarif, gitlab, junit, markdown) give paths relative to it, so annotations and reports point
   * at the file whichever folder of a monorepo the linter ran in; stylish and compact stay relative to `cwd`.
   */
  repositoryRoot?: string;
  /** Whether to use ANSI colours. */
  color: boolean;
  /** Source text of a linted file, for formatters that show the offending line. */
  sourceOf(filePath: string): string | undefined;
  /** The table locks each statement of a linted migration takes (set by the CLI when a report is `html`, from LintRun's `projects[].statementLocks`). */
  statementLocks?(filePath: string): StatementLocks[] | undefined;
}

/**
 * A formatter is a plain function from results to text, like ESLint's. It may also offer `chunks`: the
 * same text in pieces, which the CLI writes as they come instead of holding the whole report (the json
 * formatter does: 11 MB for 5,000 migrations).
 */
export type Formatter = ((results: LintResult[], context: FormatterContext) => string) & {
  chunks?: (results: LintResult[], context: FormatterContext) => Iterable<string>;
};
