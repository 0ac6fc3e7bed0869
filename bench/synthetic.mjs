#!/usr/bin/env node
/**
 * A synthetic, deterministic Prisma Migrate history for scaling benchmarks:
 * what `prisma migrate dev` writes over years of a growing app. An init
 * migration, then a mix of CREATE TABLE (with primary key, indexes and foreign
 * keys), ALTER TABLE ADD COLUMN (nullable, with defaults, sometimes required
 * without one), CREATE [UNIQUE] INDEX, ADD FOREIGN KEY, CREATE TYPE ... AS ENUM
 * and ALTER TYPE ... ADD VALUE, occasional DROP COLUMN / DROP INDEX with
 * Prisma's Warnings block, column type changes, DROP NOT NULL / SET DEFAULT,
 * and hand-written backfills, in Prisma's section order and formatting.
 * Migration sizes are mixed: mostly one or two changes, sometimes a feature
 * migration with a dozen or more. Every migration applies on PostgreSQL in
 * order, and each prefix comes with the schema.prisma it builds.
 *
 *   node bench/synthetic.mjs <dir> [sizes...]   # writes <dir>/history-<n>/prisma/{schema.prisma,migrations/}
 *
 * Used by bench/corpus.mjs, which generates it in os.tmpdir().
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOUNS = [
  "User", "Account", "Session", "Project", "Team", "Member", "Invite", "Invoice", "Payment", "Plan",
  "Subscription", "Order", "Product", "Price", "Coupon", "Cart", "Shipment", "Address", "Review", "Comment",
  "Post", "Tag", "Category", "Media", "File", "Folder", "Webhook", "Event", "Job", "Task",
  "Run", "Deployment", "Environment", "Secret", "ApiKey", "Token", "Audit", "Log", "Metric", "Alert",
  "Dashboard", "Widget", "Report", "Export", "Import", "Integration", "Channel", "Message", "Thread", "Notification",
  "Setting", "Feature", "Flag", "Experiment", "Variant", "Segment", "Customer", "Vendor", "Warehouse", "Schedule",
];
/** Field names with the SQL type Prisma gives them (TEXT is sometimes @db.VarChar(255)). */
const ATTRS = Object.entries({
  title: "TEXT", name: "TEXT", slug: "TEXT", description: "TEXT", status: "TEXT", amount: "INTEGER", currency: "TEXT",
  quantity: "INTEGER", position: "INTEGER", color: "TEXT", email: "TEXT", phone: "TEXT", url: "TEXT", locale: "TEXT",
  timezone: "TEXT", priority: "INTEGER", score: "DOUBLE PRECISION", weight: "DOUBLE PRECISION", version: "INTEGER",
  source: "TEXT", label: "TEXT", notes: "TEXT", summary: "TEXT", region: "TEXT", country: "TEXT", city: "TEXT",
  externalId: "TEXT", reference: "TEXT", checksum: "TEXT", payload: "JSONB", metadata: "JSONB", settings: "JSONB",
  isActive: "BOOLEAN", isArchived: "BOOLEAN", isPublic: "BOOLEAN", verified: "BOOLEAN", enabled: "BOOLEAN",
  startedAt: "TIMESTAMP(3)", finishedAt: "TIMESTAMP(3)", expiresAt: "TIMESTAMP(3)", archivedAt: "TIMESTAMP(3)",
  lastSeenAt: "TIMESTAMP(3)", retryCount: "INTEGER", attempts: "INTEGER", durationMs: "INTEGER", sizeBytes: "BIGINT",
  ordering: "INTEGER", kind: "TEXT", level: "INTEGER", channel: "TEXT", body: "TEXT", subject: "TEXT",
  avatarUrl: "TEXT", website: "TEXT", rating: "DOUBLE PRECISION", discount: "INTEGER", total: "INTEGER",
  balance: "BIGINT", credits: "INTEGER", deletedAt: "TIMESTAMP(3)", publishedAt: "TIMESTAMP(3)",
  scheduledAt: "TIMESTAMP(3)", dueAt: "TIMESTAMP(3)", isDefault: "BOOLEAN", isHidden: "BOOLEAN", isPinned: "BOOLEAN",
  config: "JSONB", context: "JSONB", errorMessage: "TEXT", ipAddress: "TEXT", userAgent: "TEXT", hash: "TEXT",
});
const ENUM_WORDS = ["PENDING", "ACTIVE", "PAUSED", "CANCELED", "FAILED", "COMPLETED", "DRAFT", "PUBLISHED", "ARCHIVED", "QUEUED", "RUNNING", "EXPIRED", "BLOCKED", "DELETED", "REVIEW", "APPROVED", "REJECTED", "LOW", "MEDIUM", "HIGH", "CRITICAL", "TRIAL", "FREE", "PRO", "ENTERPRISE"];

/** Column types: SQL spelling, Prisma type, a DEFAULT expression Prisma writes for @default(...), Prisma's default attribute. */
const TYPES = [
  { sql: "TEXT", prisma: "String", def: "''", pdef: '@default("")' },
  { sql: "INTEGER", prisma: "Int", def: "0", pdef: "@default(0)" },
  { sql: "BOOLEAN", prisma: "Boolean", def: "false", pdef: "@default(false)" },
  { sql: "TIMESTAMP(3)", prisma: "DateTime", def: "CURRENT_TIMESTAMP", pdef: "@default(now())" },
  { sql: "DOUBLE PRECISION", prisma: "Float", def: "0", pdef: "@default(0)" },
  { sql: "JSONB", prisma: "Json", def: "'{}'", pdef: '@default("{}")' },
  { sql: "BIGINT", prisma: "BigInt", def: "0", pdef: "@default(0)" },
  { sql: "VARCHAR(255)", prisma: "String", attr: "@db.VarChar(255)", def: "''", pdef: '@default("")' },
];

/**
 * Generates `count` migrations. Returns { migrations: [{ name, sql }], schemaAt(n) } where schemaAt(n) is
 * the schema.prisma the first n migrations build (n must be one of `cutoffs`).
 */
export function generateHistory(count, { seed = 20240601, cutoffs = [count] } = {}) {
  const rand = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const chance = (p) => rand() < p;
  const weighted = (list) => {
    const total = list.reduce((n, x) => n + x.w, 0);
    let r = rand() * total;
    for (const x of list) if ((r -= x.w) < 0) return x;
    return list.at(-1);
  };

  /** name -> { name, idSql, columns: Map<name, col>, indexes: Map<name, {columns, unique}>, fks: Map<name, {column, ref}> } */
  const tables = new Map();
  /** name -> string[] */
  const enums = new Map();
  const usedTableNames = new Set();
  const usedEnumNames = new Set();
  const schemas = new Map();

  const newTableName = () => {
    for (;;) {
      const name = chance(0.35) ? pick(NOUNS) : `${pick(NOUNS)}${pick(NOUNS)}`;
      if (!usedTableNames.has(name)) {
        usedTableNames.add(name);
        return name;
      }
      if (usedTableNames.size > 3000) {
        const n = `${pick(NOUNS)}${usedTableNames.size}`;
        usedTableNames.add(n);
        return n;
      }
    }
  };
  /** A new field for `table`: its name and type (TYPES entry). */
  const newColumn = (table) => {
    for (let i = 0; ; i++) {
      const [base, sql] = pick(ATTRS);
      const name = i < 4 ? base : `${base}${i}`;
      if (table.columns.has(name)) continue;
      const type = sql === "TEXT" && chance(0.15) ? TYPES.find((t) => t.sql === "VARCHAR(255)") : TYPES.find((t) => t.sql === sql);
      return { name, type };
    }
  };
  const newEnumName = (table) => {
    for (let i = 0; ; i++) {
      const name = `${table?.name ?? pick(NOUNS)}${pick(["Status", "Kind", "Level", "State", "Type", "Mode"])}${i ? i : ""}`;
      if (!usedEnumNames.has(name)) {
        usedEnumNames.add(name);
        return name;
      }
    }
  };
  const existing = () => [...tables.values()];
  /** Tables created before this migration: ALTER TABLE renders before CREATE TABLE in Prisma's order. */
  const old = () => existing().filter((t) => t.createdIn !== m);
  /** Columns that existed before this migration (not the fixed id / timestamps, not keys). */
  const oldColumns = (table, filter = () => true) => [...table.columns.values()].filter((c) => c.born !== m && !c.fixed && !c.fk && filter(c));
  const q = (s) => `"${s}"`;

  /** A column definition for CREATE TABLE / ADD COLUMN. */
  const columnSql = (col) => `${q(col.name)} ${col.sql}${col.notNull ? " NOT NULL" : ""}${col.default !== undefined ? ` DEFAULT ${col.default}` : ""}`;

  // one migration = sections in Prisma's order
  const sectionOrder = ["CreateEnum", "AlterEnum", "DropForeignKey", "DropIndex", "AlterTable", "CreateTable", "CreateIndex", "AddForeignKey", "Backfill"];
  let m;
  const newEnums = new Set();
  const startMigration = () => {
    newEnums.clear();
    m = { warnings: [], sections: Object.fromEntries(sectionOrder.map((s) => [s, []])), alter: new Map(), names: [], touched: new Set() };
  };
  const alterClause = (table, clause) => {
    if (!m.alter.has(table.name)) {
      m.alter.set(table.name, []);
      m.sections.AlterTable.push(table.name);
    }
    m.alter.get(table.name).push(clause);
  };

  const createTable = (withRefs = true) => {
    const name = newTableName();
    const serial = chance(0.15);
    const table = { name, idSql: serial ? "INTEGER" : "TEXT", idPrisma: serial ? "Int" : "String", serial, columns: new Map(), indexes: new Map(), fks: new Map(), createdIn: m };
    const cols = [];
    const add = (col) => {
      table.columns.set(col.name, col);
      cols.push(col);
    };
    add({ name: "id", sql: serial ? "SERIAL" : "TEXT", prisma: table.idPrisma, notNull: true, pattr: serial ? "@id @default(autoincrement())" : "@id @default(cuid())", fixed: true });
    add({ name: "createdAt", sql: "TIMESTAMP(3)", prisma: "DateTime", notNull: true, default: "CURRENT_TIMESTAMP", pattr: "@default(now())", fixed: true });
    add({ name: "updatedAt", sql: "TIMESTAMP(3)", prisma: "DateTime", notNull: true, pattr: "@updatedAt", fixed: true });
    for (let i = int(1, 7); i > 0; i--) {
      const { name: colName, type: t } = newColumn(table);
      const notNull = chance(0.5);
      const withDefault = notNull && chance(0.5);
      add({ name: colName, sql: t.sql, prisma: t.prisma, notNull, ...(withDefault ? { default: t.def, pattr: t.pdef } : {}), ...(t.attr ? { dbattr: t.attr } : {}) });
    }
    if (enums.size && chance(0.2)) {
      const [enumName, values] = pick([...enums]);
      add({ name: newColumn(table).name, sql: q(enumName), prisma: enumName, notNull: true, default: `'${values[0]}'`, pattr: `@default(${values[0]})` });
    }
    const fkTargets = withRefs ? existing().filter((t) => !t.dropped) : [];
    const refs = fkTargets.length ? int(0, Math.min(2, fkTargets.length)) : 0;
    const fkCols = [];
    for (let i = 0; i < refs; i++) {
      const ref = pick(fkTargets);
      const colName = `${ref.name[0].toLowerCase()}${ref.name.slice(1)}Id`;
      if (table.columns.has(colName)) continue;
      const notNull = chance(0.6);
      add({ name: colName, sql: ref.idSql, prisma: ref.idPrisma, notNull, fk: true });
      fkCols.push({ column: colName, ref, notNull });
    }
    tables.set(name, table);
    const body = cols.map((c) => `    ${columnSql(c)},`).join("\n");
    m.sections.CreateTable.push(`-- CreateTable\nCREATE TABLE ${q(name)} (\n${body}\n\n    CONSTRAINT ${q(`${name}_pkey`)} PRIMARY KEY ("id")\n);`);
    for (const fk of fkCols) {
      addIndex(table, [fk.column], false);
      addForeignKey(table, fk.column, fk.ref, fk.notNull);
    }
    if (chance(0.3)) {
      const col = pick(cols.filter((c) => !c.fixed && !c.fk && c.prisma === "String"));
      if (col) addIndex(table, [col.name], chance(0.5));
    }
    return table;
  };

  const addIndex = (table, columns, unique) => {
    const name = `${table.name}_${columns.join("_")}_${unique ? "key" : "idx"}`;
    if (table.indexes.has(name) || name.length > 63) return;
    table.indexes.set(name, { columns, unique, born: m });
    for (const c of columns) table.columns.get(c).indexed = true;
    m.sections.CreateIndex.push(`-- CreateIndex\nCREATE ${unique ? "UNIQUE " : ""}INDEX ${q(name)} ON ${q(table.name)}(${columns.map(q).join(", ")});`);
  };

  const addForeignKey = (table, column, ref, notNull) => {
    const name = `${table.name}_${column}_fkey`;
    if (name.length > 63) return;
    table.fks.set(name, { column, ref: ref.name });
    table.columns.get(column).fk = true;
    ref.referenced = (ref.referenced ?? 0) + 1;
    const onDelete = notNull ? pick(["RESTRICT", "CASCADE"]) : "SET NULL";
    m.sections.AddForeignKey.push(`-- AddForeignKey\nALTER TABLE ${q(table.name)} ADD CONSTRAINT ${q(name)} FOREIGN KEY (${q(column)}) REFERENCES ${q(ref.name)}("id") ON DELETE ${onDelete} ON UPDATE CASCADE;`);
  };

  const changes = {
    addColumn() {
      const table = pick(old());
      if (!table) return changes.createTable();
      for (let i = chance(0.25) ? int(2, 4) : 1; i > 0; i--) {
        const { name: colName, type: t } = newColumn(table);
        const kind = rand();
        // nullable (most), NOT NULL with a default, and now and then a required column without one (Prisma warns)
        const col = kind < 0.6 ? { notNull: false } : kind < 0.95 ? { notNull: true, default: t.def, pattr: t.pdef } : { notNull: true };
        Object.assign(col, { name: colName, sql: t.sql, prisma: t.prisma, born: m, ...(t.attr ? { dbattr: t.attr } : {}) });
        if (col.notNull && col.default === undefined) m.warnings.push(`  - Added the required column \`${col.name}\` to the \`${table.name}\` table without a default value. This is not possible if the table is not empty.`);
        table.columns.set(col.name, col);
        alterClause(table, `ADD COLUMN     ${columnSql(col)}`);
      }
      m.names.push(`add_${table.columns.size > 0 ? [...table.columns.keys()].at(-1) : "column"}_to_${table.name}`);
    },
    createTable() {
      const table = createTable();
      m.names.push(`create_${table.name}`);
    },
    createIndex() {
      const table = pick(existing());
      const candidates = [...table.columns.values()].filter((c) => !c.fixed || c.name === "createdAt");
      if (!candidates.length) return changes.addColumn();
      const first = pick(candidates);
      const columns = chance(0.3) && candidates.length > 1 ? [...new Set([first.name, pick(candidates).name])] : [first.name];
      addIndex(table, columns, chance(0.15) && !columns.includes("createdAt"));
      m.names.push(`index_${table.name}_${columns.join("_")}`);
    },
    addForeignKey() {
      const table = pick(old());
      if (!table) return changes.createTable();
      const ref = pick(existing());
      const colName = `${ref === table ? "parent" : `${ref.name[0].toLowerCase()}${ref.name.slice(1)}`}Id`;
      if (table.columns.has(colName)) return changes.createIndex();
      table.columns.set(colName, { name: colName, sql: ref.idSql, prisma: ref.idPrisma, notNull: false, born: m });
      alterClause(table, `ADD COLUMN     ${q(colName)} ${ref.idSql}`);
      addIndex(table, [colName], false);
      addForeignKey(table, colName, ref, false);
      m.names.push(`add_${table.name}_${ref.name}_relation`);
    },
    createEnum() {
      const table = pick(old()) ?? pick(existing());
      const name = newEnumName(table);
      const values = [...new Set(Array.from({ length: int(2, 5) }, () => pick(ENUM_WORDS)))];
      enums.set(name, values);
      newEnums.add(name);
      m.sections.CreateEnum.push(`-- CreateEnum\nCREATE TYPE ${q(name)} AS ENUM (${values.map((v) => `'${v}'`).join(", ")});`);
      m.names.push(`add_${name}`);
      if (!table || table.createdIn === m) return;
      // the field is named after the enum's last word: "status", "kind", ...
      const word = name.match(/[A-Z][a-z]+\d*$/)[0].toLowerCase();
      let colName = word;
      for (let i = 2; table.columns.has(colName); i++) colName = `${word}${i}`;
      const col = { name: colName, sql: q(name), prisma: name, notNull: true, default: `'${values[0]}'`, pattr: `@default(${values[0]})`, born: m };
      table.columns.set(colName, col);
      alterClause(table, `ADD COLUMN     ${columnSql(col)}`);
    },
    addEnumValue() {
      const candidates = [...enums].filter(([n]) => !newEnums.has(n));
      if (!candidates.length) return changes.createEnum();
      const [name, values] = pick(candidates);
      const added = ENUM_WORDS.filter((w) => !values.includes(w)).slice(0, chance(0.2) ? 2 : 1);
      if (!added.length) return changes.addColumn();
      values.push(...added);
      const note = added.length > 1 ? "-- This migration adds more than one value to an enum.\n-- With PostgreSQL versions 11 and earlier, this is not possible\n-- in a single migration. This can be worked around by creating\n-- multiple migrations, each migration adding only one value to\n-- the enum.\n\n\n" : "";
      m.sections.AlterEnum.push(`-- AlterEnum\n${note}${added.map((v) => `ALTER TYPE ${q(name)} ADD VALUE '${v}';`).join("\n")}`);
      m.names.push(`add_${added[0].toLowerCase()}_to_${name}`);
    },
    dropColumn() {
      const table = pick(old());
      const col = table && pick(oldColumns(table, (c) => !c.indexed));
      if (!col) return changes.addColumn();
      table.columns.delete(col.name);
      m.warnings.push(`  - You are about to drop the column \`${col.name}\` on the \`${table.name}\` table. All the data in the column will be lost.`);
      alterClause(table, `DROP COLUMN ${q(col.name)}`);
      m.names.push(`remove_${col.name}_from_${table.name}`);
    },
    dropIndex() {
      const droppable = (t) => [...t.indexes].find(([, ix]) => ix.born !== m && !ix.columns.some((c) => t.columns.get(c)?.fk));
      const table = pick(old().filter((t) => droppable(t)));
      const entry = table && droppable(table);
      if (!entry) return changes.createIndex();
      const [name, ix] = entry;
      table.indexes.delete(name);
      for (const c of ix.columns) {
        const col = table.columns.get(c);
        if (col && ![...table.indexes.values()].some((other) => other.columns.includes(c))) col.indexed = false;
      }
      m.sections.DropIndex.push(`-- DropIndex\nDROP INDEX ${q(name)};`);
      m.names.push(`drop_${name}`);
    },
    alterColumn() {
      const table = pick(old());
      const cols = table ? oldColumns(table, (c) => !c.indexed) : [];
      const col = cols.length && pick(cols);
      if (!col) return changes.addColumn();
      const r = rand();
      if (r < 0.3 && col.sql === "INTEGER") {
        col.sql = "BIGINT";
        col.prisma = "BigInt";
        if (col.default !== undefined) col.pattr = "@default(0)";
        m.warnings.push(`  - You are about to alter the column \`${col.name}\` on the \`${table.name}\` table, which contains data. The data in that column will be cast from \`Integer\` to \`BigInt\`. This cast may fail. Please make sure the data in the column can be cast.`);
        alterClause(table, `ALTER COLUMN ${q(col.name)} SET DATA TYPE BIGINT`);
      } else if (r < 0.65 && col.notNull) {
        col.notNull = false;
        alterClause(table, `ALTER COLUMN ${q(col.name)} DROP NOT NULL`);
      } else if (r >= 0.85 && !col.notNull && col.default === undefined && !col.sql.startsWith('"')) {
        // a hand-edited migration: backfill, then make the column required
        const t = TYPES.find((x) => x.sql === col.sql) ?? TYPES[0];
        col.notNull = true;
        col.default = t.def;
        col.pattr = t.pdef;
        m.sections.Backfill.push(`-- Backfill existing rows before making the column required\nUPDATE ${q(table.name)} SET ${q(col.name)} = ${t.def} WHERE ${q(col.name)} IS NULL;`);
        m.sections.Backfill.push(`ALTER TABLE ${q(table.name)} ALTER COLUMN ${q(col.name)} SET DEFAULT ${t.def},\nALTER COLUMN ${q(col.name)} SET NOT NULL;`);
      } else {
        const t = TYPES.find((x) => x.sql === col.sql);
        if (!t || col.default !== undefined) return changes.createIndex();
        col.default = t.def;
        col.pattr = t.pdef;
        alterClause(table, `ALTER COLUMN ${q(col.name)} SET DEFAULT ${t.def}`);
      }
      m.names.push(`alter_${table.name}_${col.name}`);
    },
  };
  const mix = [
    { f: "addColumn", w: 37 },
    { f: "createIndex", w: 15 },
    { f: "createTable", w: 6 },
    { f: "addForeignKey", w: 11 },
    { f: "addEnumValue", w: 8 },
    { f: "createEnum", w: 3 },
    { f: "dropColumn", w: 7 },
    { f: "dropIndex", w: 4 },
    { f: "alterColumn", w: 8 },
  ];

  const render = () => {
    const parts = [];
    if (m.warnings.length) parts.push(`/*\n  Warnings:\n\n${m.warnings.join("\n")}\n\n*/`);
    for (const s of m.sections.CreateEnum) parts.push(s);
    for (const s of m.sections.AlterEnum) parts.push(s);
    for (const s of m.sections.DropIndex) parts.push(s);
    for (const name of m.sections.AlterTable) parts.push(`-- AlterTable\nALTER TABLE ${q(name)} ${m.alter.get(name).join(",\n")};`);
    for (const s of m.sections.CreateTable) parts.push(s);
    for (const s of m.sections.CreateIndex) parts.push(s);
    for (const s of m.sections.AddForeignKey) parts.push(s);
    for (const s of m.sections.Backfill) parts.push(s);
    return `${parts.join("\n\n")}\n`;
  };

  const migrations = [];
  let time = Date.UTC(2019, 0, 7, 9, 30, 0);
  const stamp = () => {
    time += int(1, 20) * 3600_000 + int(0, 3599) * 1000;
    return new Date(time).toISOString().replace(/[-:T]/g, "").slice(0, 14);
  };
  const wanted = new Set(cutoffs);
  for (let i = 0; i < count; i++) {
    startMigration();
    if (i === 0) {
      changes.createEnum();
      for (let t = 0; t < 12; t++) createTable(t > 0);
      m.names = ["init"];
    } else {
      const size = rand();
      // mostly small: 1 change (45%), 2-3 (30%), 4-8 (18%), a feature migration of 10-24 (7%)
      const n = size < 0.45 ? 1 : size < 0.75 ? int(2, 3) : size < 0.93 ? int(4, 8) : int(10, 24);
      for (let k = 0; k < n; k++) changes[weighted(mix).f]();
    }
    const slug = (m.names[0] ?? "change").replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().replace(/[^a-z0-9_]+/g, "_").slice(0, 60);
    migrations.push({ name: `${stamp()}_${slug}`, sql: render() });
    if (wanted.has(i + 1)) schemas.set(i + 1, renderSchema(tables, enums));
  }
  return {
    migrations,
    schemaAt(n) {
      const s = schemas.get(n);
      if (!s) throw new Error(`no schema recorded at ${n}; pass it in cutoffs`);
      return s;
    },
  };
}

/** schema.prisma for the current tables and enums: fields, ids, defaults, @unique / @@index, relations both ways. */
function renderSchema(tables, enums) {
  const out = [
    "generator client {\n  provider = \"prisma-client-js\"\n}",
    "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}",
  ];
  const back = new Map(); // ref table -> lines
  for (const table of tables.values()) {
    for (const [fkName, fk] of table.fks) {
      const lines = back.get(fk.ref) ?? [];
      lines.push(`  ${fkName.replace(/_fkey$/, "").replace(/_/g, "")}Back ${table.name}[] @relation("${fkName}")`);
      back.set(fk.ref, lines);
    }
  }
  for (const table of tables.values()) {
    const lines = [];
    const singleUnique = new Set([...table.indexes.values()].filter((ix) => ix.unique && ix.columns.length === 1).map((ix) => ix.columns[0]));
    for (const col of table.columns.values()) {
      const type = `${col.prisma}${col.notNull ? "" : "?"}`;
      const attrs = [col.pattr, col.dbattr, singleUnique.has(col.name) ? "@unique" : undefined].filter(Boolean).join(" ");
      lines.push(`  ${col.name} ${type}${attrs ? ` ${attrs}` : ""}`);
    }
    for (const [fkName, fk] of table.fks) {
      const col = table.columns.get(fk.column);
      lines.push(`  ${fk.column.replace(/Id$/, "")}Rel ${fk.ref}${col.notNull ? "" : "?"} @relation("${fkName}", fields: [${fk.column}], references: [id])`);
    }
    lines.push(...(back.get(table.name) ?? []));
    const blockAttrs = [...table.indexes.values()].filter((ix) => !(ix.unique && ix.columns.length === 1)).map((ix) => `  @@${ix.unique ? "unique" : "index"}([${ix.columns.join(", ")}])`);
    out.push(`model ${table.name} {\n${lines.join("\n")}${blockAttrs.length ? `\n\n${blockAttrs.join("\n")}` : ""}\n}`);
  }
  for (const [name, values] of enums) out.push(`enum ${name} {\n${values.map((v) => `  ${v}`).join("\n")}\n}`);
  return `${out.join("\n\n")}\n`;
}

const LOCK = '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n';

/** Writes one Prisma project per size under `dir`: <dir>/history-<size>/prisma/{schema.prisma, migrations/}. Returns [{ size, projectDir }]. */
export function writeSyntheticProjects(dir, sizes, options = {}) {
  const max = Math.max(...sizes);
  const { migrations, schemaAt } = generateHistory(max, { ...options, cutoffs: sizes });
  return sizes.map((size) => {
    const projectDir = path.join(dir, `history-${size}`);
    rmSync(projectDir, { recursive: true, force: true });
    const migrationsDir = path.join(projectDir, "prisma", "migrations");
    mkdirSync(migrationsDir, { recursive: true });
    writeFileSync(path.join(projectDir, "prisma", "schema.prisma"), schemaAt(size));
    writeFileSync(path.join(migrationsDir, "migration_lock.toml"), LOCK);
    for (const m of migrations.slice(0, size)) {
      mkdirSync(path.join(migrationsDir, m.name));
      writeFileSync(path.join(migrationsDir, m.name, "migration.sql"), m.sql);
    }
    return { size, projectDir, migrationsDir, bytes: migrations.slice(0, size).reduce((n, x) => n + Buffer.byteLength(x.sql), 0) };
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, ...rest] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: node bench/synthetic.mjs <dir> [sizes...]");
    process.exit(2);
  }
  const sizes = rest.length ? rest.map(Number) : [500, 1000, 2000, 5000];
  for (const p of writeSyntheticProjects(path.resolve(dir), sizes)) console.log(`${p.projectDir}: ${p.size} migrations, ${p.bytes} bytes of SQL`);
}
