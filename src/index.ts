/**
 * migration-lint's public API. `import { lint } from "migration-lint"`:
 * no side effects on import, no console output, no process.exit.
 */
export { lint, runLint, loadConfig } from "./api/lint.js";
export { lintText } from "./api/lint-text.js";
export type { LintTextOptions } from "./api/lint-text.js";
export { loadFormatter, formatterNames } from "./formatters/index.js";
export type { Formatter, FormatterContext } from "./formatters/index.js";
export type { LintOptions, LintRun, ProjectReport } from "./api/lint.js";
export { defineConfig } from "./config/types.js";
export type { MigrationLintConfig, MigrationLintPlugin, ResolvedConfig, ResolvedRule, RuleSetting } from "./config/types.js";
export { appendStatement, defineRule, fieldPlace, modelPlace, prependStatement, SchemaPart } from "./engine/rule.js";
export type { RuleModule, RuleMeta, RuleContext, RuleVisitors, ReportDescriptor, MigrationContext, PresetName, FixFunction, RuleFixer, SuggestionDescriptor } from "./engine/rule.js";
export type { Fix, LintMessage, LintResult, Suggestion } from "./engine/results.js";
export type { CatalogView, TableState, ColumnState, IndexState, EnumState, ConstraintState } from "./history/catalog.js";
export { MigrationLintError } from "./errors.js";
export { builtinRules } from "../rules/index.js";
export type * from "./types.js";
export type * from "./schema/types.js";
