/** The built-in rules, by id. Adding a rule: one file in rules/, one line here, one page in docs/rules/. */
import type { RuleModule } from "../src/engine/rule.js";
import destructiveChange from "./destructive-change.js";
import implicitRename from "./implicit-rename.js";
import columnTypeChange from "./column-type-change.js";
import addRequiredColumn from "./add-required-column.js";
import setNotNull from "./set-not-null.js";
import constraintNotValid from "./constraint-not-valid.js";
import uniqueConstraint from "./unique-constraint.js";
import requireConcurrently from "./require-concurrently.js";
import concurrentlyInTransaction from "./concurrently-in-transaction.js";
import enumValueInTransaction from "./enum-value-in-transaction.js";
import unbatchedBackfill from "./unbatched-backfill.js";
import immutableMigration from "./immutable-migration.js";
import migrationOrder from "./migration-order.js";
import providerMismatch from "./provider-mismatch.js";
import lockTimeout from "./lock-timeout.js";
import blockingMaintenance from "./blocking-maintenance.js";
import transactionBalance from "./transaction-balance.js";
import breakingRename from "./breaking-rename.js";
import dropNotNull from "./drop-not-null.js";
import missingRollback from "./missing-rollback.js";
import oversizedMigration from "./oversized-migration.js";
import migrationName from "./migration-name.js";
import migrationDoc from "./migration-doc.js";
import prismaWarning from "./prisma-warning.js";
import identifierTooLong from "./identifier-too-long.js";
import preferTimestamptz from "./prefer-timestamptz.js";
import preferBigint from "./prefer-bigint.js";
import preferText from "./prefer-text.js";
import preferIdentity from "./prefer-identity.js";
import banChar from "./ban-char.js";
import domainConstraint from "./domain-constraint.js";
import emptyMigration from "./empty-migration.js";
import nonAtomicMigration from "./non-atomic-migration.js";
import sqliteRebuildCascade from "./sqlite-rebuild-cascade.js";
import sqliteRebuild from "./sqlite-rebuild.js";
import mysqlTableCopy from "./mysql-table-copy.js";
import mysqlZeroFill from "./mysql-zero-fill.js";
import mysqlLockWaitTimeout from "./mysql-lock-wait-timeout.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const builtinRules: Record<string, RuleModule<any>> = {
  [destructiveChange.meta.id]: destructiveChange,
  [implicitRename.meta.id]: implicitRename,
  [columnTypeChange.meta.id]: columnTypeChange,
  [addRequiredColumn.meta.id]: addRequiredColumn,
  [setNotNull.meta.id]: setNotNull,
  [constraintNotValid.meta.id]: constraintNotValid,
  [uniqueConstraint.meta.id]: uniqueConstraint,
  [requireConcurrently.meta.id]: requireConcurrently,
  [concurrentlyInTransaction.meta.id]: concurrentlyInTransaction,
  [enumValueInTransaction.meta.id]: enumValueInTransaction,
  [unbatchedBackfill.meta.id]: unbatchedBackfill,
  [immutableMigration.meta.id]: immutableMigration,
  [migrationOrder.meta.id]: migrationOrder,
  [providerMismatch.meta.id]: providerMismatch,
  [lockTimeout.meta.id]: lockTimeout,
  [blockingMaintenance.meta.id]: blockingMaintenance,
  [transactionBalance.meta.id]: transactionBalance,
  [breakingRename.meta.id]: breakingRename,
  [dropNotNull.meta.id]: dropNotNull,
  [missingRollback.meta.id]: missingRollback,
  [oversizedMigration.meta.id]: oversizedMigration,
  [migrationName.meta.id]: migrationName,
  [migrationDoc.meta.id]: migrationDoc,
  [prismaWarning.meta.id]: prismaWarning,
  [identifierTooLong.meta.id]: identifierTooLong,
  [preferTimestamptz.meta.id]: preferTimestamptz,
  [preferBigint.meta.id]: preferBigint,
  [preferText.meta.id]: preferText,
  [preferIdentity.meta.id]: preferIdentity,
  [banChar.meta.id]: banChar,
  [domainConstraint.meta.id]: domainConstraint,
  [emptyMigration.meta.id]: emptyMigration,
  [nonAtomicMigration.meta.id]: nonAtomicMigration,
  [sqliteRebuildCascade.meta.id]: sqliteRebuildCascade,
  [sqliteRebuild.meta.id]: sqliteRebuild,
  [mysqlTableCopy.meta.id]: mysqlTableCopy,
  [mysqlZeroFill.meta.id]: mysqlZeroFill,
  [mysqlLockWaitTimeout.meta.id]: mysqlLockWaitTimeout,
};
