import path from "node:path";
import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  meta: {
    id: "immutable-migration",
    type: "problem",
    docs: { description: "A migration that already exists at the base (or in HEAD, for --staged) was edited, renamed or deleted.", preset: "recommended" },
    defaultSeverity: "error",
    requires: { git: true },
    messages: {
      edited:
        "Migration {{migration}} exists at {{base}} and was edited. Prisma stores a checksum of every applied migration: `prisma migrate dev` will demand a database reset, and environments that already ran the old text silently differ from new ones that run this one.",
      renamed:
        "Migration {{old}} exists at {{base}} and was renamed to {{migration}}. Databases that applied {{old}} will apply {{migration}} again as a new migration (and fail or duplicate its changes), and `prisma migrate status` reports {{old}} as missing.",
      deleted:
        "Migration {{migration}} exists at {{base}} and was deleted. Databases that applied it keep its changes while new ones never get them, and `prisma migrate status` reports it as applied but missing.",
    },
    help: {
      edited: "Revert the edit and put the change in a new migration (`prisma migrate dev --create-only`). To accept a finding in an applied migration, use the baseline (`migration-lint --write-baseline`), not an inline comment.",
      renamed: "Rename the folder back; migration folder names are their identity in `_prisma_migrations`.",
      deleted: "Restore the folder. To undo its changes, write a new migration that reverses them.",
    },
  },
  create(context) {
    const git = context.git;
    return {
      Migration(migration) {
        if (!git) return;
        const kind = git.changes.get(migration.name);
        const data = { migration: migration.name, base: git.baseLabel, old: git.renamedFrom.get(migration.name) ?? "" };
        if (kind === "modified" && git.baseMigrations.includes(migration.name)) context.report({ messageId: "edited", data });
        else if (kind === "renamed" && git.baseMigrations.includes(data.old)) context.report({ messageId: "renamed", data });
      },
      "Project:exit"(migration) {
        if (!git) return;
        const migrationsDir = path.dirname(migration.entry.dir);
        for (const name of git.deleted) {
          context.report({ messageId: "deleted", file: path.join(migrationsDir, name, "migration.sql"), data: { migration: name, base: git.baseLabel } });
        }
      },
    };
  },
});
