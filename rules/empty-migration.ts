import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  meta: {
    id: "empty-migration",
    type: "problem",
    docs: { description: "A migration.sql that is empty or holds only comments (Prisma's `-- This is an empty migration.`): usually a `prisma migrate dev --create-only` whose SQL was never written.", preset: "recommended" },
    defaultSeverity: "warn",
    messages: {
      empty: "migration.sql {{what}}: `prisma migrate deploy` records the migration as applied and changes nothing, so whatever it was created for never reaches the database (on MySQL an empty migration fails to apply). It is almost always a `prisma migrate dev --create-only` whose SQL was never written.",
    },
    help: {
      empty: "Write the SQL the migration was created for, or delete the folder {{folder}} if it is not needed and has not been applied anywhere yet. If it is already applied in production, keep it (Prisma checksums applied migrations) and record this finding with `migration-lint --write-baseline`.",
    },
  },
  create(context) {
    const { file, entry } = context.migration;
    return {
      Migration() {
        // a file with a statement that does not parse is not empty: parse-error reports it
        if (file.statements.length || file.parseErrors.length) return;
        const what = /^[\s;]*$/.test(file.text) ? "is empty" : /^\s*--\s*This is an empty migration\.?\s*$/.test(file.text) ? "holds only Prisma's \"-- This is an empty migration.\"" : "holds only comments";
        context.report({ range: file.rangeOf(0, 0), messageId: "empty", data: { what, folder: `prisma/migrations/${entry.name}` } });
      },
    };
  },
});
