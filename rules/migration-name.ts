import { defineRule } from "../src/engine/rule.js";

interface Options {
  minLength: number;
  /** Words that say nothing about the change; a name made only of these (and numbers) is reported. */
  banned: string[];
  /** A regular expression the descriptive part must match, e.g. `^(add|drop|rename|create|backfill)_`. */
  pattern?: string;
}

const DEFAULT_BANNED = ["migration", "migrations", "update", "updates", "changes", "change", "fix", "fixes", "test", "wip", "tmp", "temp", "misc", "new"];

export default defineRule<Options>({
  meta: {
    id: "migration-name",
    type: "layout",
    docs: { description: "Migration folder names that do not describe the change (`migration`, `update`, `fix`, numbers only, too short).", preset: "recommended" },
    defaultSeverity: "warn",
    schema: {
      type: "object",
      properties: {
        minLength: { type: "integer", minimum: 0 },
        banned: { type: "array", items: { type: "string" } },
        pattern: { type: "string" },
      },
      additionalProperties: false,
    },
    defaultOptions: { minLength: 4, banned: DEFAULT_BANNED },
    messages: {
      vague: 'Migration name "{{name}}" does not say what it changes: {{reason}}. The folder name is all a reviewer, `prisma migrate status` and the _prisma_migrations table show of it.',
    },
    help: {
      vague:
        "Name migrations after what they do, e.g. `npx prisma migrate dev --name add_order_status_index`. Rename the folder only while it is not applied anywhere yet: Prisma identifies applied migrations by folder name, so a renamed applied migration would run again.",
    },
  },
  create(context) {
    return {
      Migration({ name, file }) {
        const { minLength, banned, pattern } = context.options;
        const described = /^\d+_(.*)$/s.exec(name)?.[1] ?? name;
        const words = described.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w && !/^\d+$/.test(w));
        const bannedSet = new Set(banned.map((b) => b.toLowerCase()));
        let reason: string | null = null;
        if (!words.length) reason = described ? "it is only numbers" : "it is empty";
        else if (words.every((w) => bannedSet.has(w))) reason = `"${described}" is a placeholder, not a description`;
        else if (described.length < minLength) reason = `"${described}" is shorter than ${minLength} characters`;
        else if (pattern && !new RegExp(pattern).test(described)) reason = `"${described}" does not match the project's pattern ${pattern}`;
        if (reason) context.report({ range: file.rangeOf(0, 0), messageId: "vague", data: { name, reason } });
      },
    };
  },
});
