/** What the language server's thread and its lint worker say to each other (src/lsp/server.ts, src/lsp/lsp-worker.ts). */
import type { LintMessage } from "../engine/results.js";
import type { SkippedProject } from "../api/projects.js";
import type { DialectId } from "../dialects/dialect.js";
import type { MigrationChanges } from "../git/changes.js";

export interface LintRequest {
  kind: "lint";
  /** The workspace folder: linted as the CLI lints its working directory (the project there, or every project below). */
  folder: string;
  /** Open documents: absolute path and text. */
  unsaved: Array<[string, string]>;
  /** Rules stopped for hanging: the run goes on without them. */
  disabledRules: string[];
  ruleTimeBudgetMs: number;
  /** Git ref whose migrations count as applied (`null`: origin/HEAD when there is one). */
  base: string | null;
}

export interface HoverRequest {
  kind: "hover";
  folder: string;
  file: string;
  text: string;
  /** Offset in the BOM-less text. */
  offset: number;
  unsaved: Array<[string, string]>;
}

export type WorkerRequest = (LintRequest | HoverRequest) & { id: number };

export interface LintedProject {
  root: string;
  migrationsDir: string;
  schemaFiles: string[];
  baselinePath: string;
  /** The baseline file's text, or null when there is none. */
  baselineText: string | null;
  dialect: DialectId;
  /** What changed in the migrations folder since the git base (a migration not added since may be applied: src/fix/safety.ts); null when git cannot say. */
  git: MigrationChanges | null;
  notes: string[];
}

export interface LintAnswer {
  results: Array<{ filePath: string; messages: LintMessage[] }>;
  projects: LintedProject[];
  skipped: SkippedProject[];
  /** For each open migration file: its statements' offsets in the BOM-less text, in order. */
  statements: Record<string, Array<[number, number]>>;
  /** How long the lint took (ms). */
  ms: number;
}

export type HoverAnswer = { contents: string; start: number; end: number } | null;

export type { WorkerError } from "../cli/resident-worker.js";
import type { WorkerError } from "../cli/resident-worker.js";

export type WorkerMessage = { id: number; ok: true; value: LintAnswer | HoverAnswer } | { id: number; ok: false; error: WorkerError } | { stray: string };

/** What the server asks the proof worker (src/lsp/proof-worker.ts): prove `text` as `migration`'s migration.sql (src/fix: proveMigrationEdit); it answers a Proof. */
export interface ProofRequest {
  id: number;
  migrationsDir: string;
  dialect: DialectId;
  migration: string;
  text: string;
  /** Open documents of the project (absolute path and text), in place of their files. */
  unsaved: Array<[string, string]>;
}
