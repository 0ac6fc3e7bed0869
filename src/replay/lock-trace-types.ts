/**
 * What the lock trace reports, on its own: the public API (LintRun's projects[].replay.lockTrace) refers to
 * these types, and importing them from locks.ts would pull the replay driver's declarations, and with them
 * the types of pg and PGlite, into every TypeScript consumer's program.
 */
import type { LockMode } from "../types.js";

export interface TracedLock {
  /** Table name as before the migration; schema-qualified outside `public`. */
  table: string;
  mode: LockMode;
  blocks: "reads and writes" | "writes" | "nothing";
  /** True when the statement rewrote the table (its relfilenode changed) while holding the lock. */
  rewrite?: boolean;
  /** Set when the mode was already held from an earlier statement of this migration (filled in from the static lock model). */
  alreadyHeld?: boolean;
}

export interface LockTraceEntry {
  migration: string;
  /** Absolute path of migration.sql. */
  file: string;
  /** 1-based line of the statement. */
  line: number;
  /** The statement, whitespace collapsed (long ones shortened). */
  statement: string;
  locks: TracedLock[];
  /** Why the statement was not traced, when it was not. */
  note?: string;
}
