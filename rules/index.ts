/** The built-in rules, by id. Adding a rule: one file in rules/, one line here, one page in docs/rules/. */
import type { RuleModule } from "../src/engine/rule.js";
import destructiveChange from "./destructive-change.js";
import immutableMigration from "./immutable-migration.js";
import migrationOrder from "./migration-order.js";
import providerMismatch from "./provider-mismatch.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const builtinRules: Record<string, RuleModule<any>> = {
  [destructiveChange.meta.id]: destructiveChange,
  [immutableMigration.meta.id]: immutableMigration,
  [migrationOrder.meta.id]: migrationOrder,
  [providerMismatch.meta.id]: providerMismatch,
};
