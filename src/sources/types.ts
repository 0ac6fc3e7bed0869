import type { MigrationEntry } from "../types.js";

/**
 * A migration *source adapter*: knows how one migration tool lays out its
 * migrations on disk and turns a migrations folder into an ordered history.
 * Rules only ever see `MigrationEntry` values, so new layouts (other tools,
 * custom folders) are added by writing another `MigrationSource`, without
 * touching any rule.
 */
export interface MigrationSource {
  /** Stable id, e.g. "prisma-migrate". */
  id: string;
  /**
   * List the migrations of a folder, sorted in the order they are applied.
   * Must never throw for filesystem trouble (missing folder, unreadable
   * entries, symlink loops): such entries are skipped.
   */
  list(migrationsDir: string): Promise<MigrationEntry[]>;
}
