/**
 * What each dialect's database can do (`Dialect.capabilities`), in a module that loads nothing else: the
 * dialects take their sets from here, and `--list-rules` / `explain` say where a rule runs (`appliesTo`)
 * without importing a dialect.
 */
import { appliesTo, type Capability, type DialectId, type DialectRequirements } from "./dialect.js";

export const DIALECT_CAPABILITIES: Readonly<Record<DialectId, ReadonlySet<Capability>>> = {
  postgresql: new Set<Capability>([
    "transactional-ddl",
    "table-locks",
    "concurrent-index",
    "enum-types",
    "alter-column",
    "lock-timeout",
    "not-valid-constraints",
    "domains",
    "maintenance-commands",
    "not-null-check",
    "add-not-null-column",
    "row-locks",
    "identifier-limit",
    "identifier-truncation",
  ]),
  // SQLite's DDL is transactional (a rebuild inside BEGIN ... COMMIT rolls back whole), though Prisma's runner uses none
  sqlite: new Set<Capability>(["transactional-ddl", "not-null-check"]),
  // MySQL rejects a name over 64 characters (error 1059) instead of truncating it: no "identifier-truncation"
  mysql: new Set<Capability>(["alter-column", "add-not-null-column", "row-locks", "identifier-limit"]),
};

/** The database's name for messages, by dialect. */
export const DIALECT_NAMES: Readonly<Record<DialectId, string>> = { postgresql: "PostgreSQL", sqlite: "SQLite", mysql: "MySQL" };

/** Where a rule runs (`appliesTo` over every dialect), and for each dialect it skips, why: the meta that rules it out. */
export function ruleDialects(meta: DialectRequirements): { runsOn: DialectId[]; skips: Array<{ id: DialectId; why: string }> } {
  const runsOn: DialectId[] = [];
  const skips: Array<{ id: DialectId; why: string }> = [];
  for (const id of Object.keys(DIALECT_CAPABILITIES) as DialectId[]) {
    const capabilities = DIALECT_CAPABILITIES[id];
    if (appliesTo(meta, { id, capabilities })) {
      runsOn.push(id);
      continue;
    }
    const missing = (meta.requires?.capabilities ?? []).filter((c) => !capabilities.has(c));
    skips.push({ id, why: meta.dialects && !meta.dialects.includes(id) ? "the rule is about other databases' behaviour" : `${DIALECT_NAMES[id]} has no ${missing.join(", ")}` });
  }
  return { runsOn, skips };
}
