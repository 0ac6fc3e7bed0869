/**
 * Every fix is proven before it is written (issue 17): the history is replayed twice on PGlite, as it is and with
 * the edit, and the two end schemas are compared with the snapshot machinery replay's rollback check uses
 * (src/replay/introspect.ts, src/replay/rollback.ts). The common prefix of the two histories is applied once and
 * its data directory copied (and kept for the next proof of the same prefix). A dialect without an in-process replay (MySQL) gets a static proof instead: the edit
 * may only add or remove session settings (SET), whatever else the statements say must stay as it was.
 */
import { hashKey } from "../hash.js";
import type { DialectId } from "../dialects/dialect.js";
import { errorMessage } from "../errors.js";

export interface HistoryFile {
  /** Folder name, the sort key. */
  name: string;
  /** migration.sql as read (a BOM is fine: Postgres gets the text without it). */
  text: string;
}

export type Proof = { proven: true; how: string } | { proven: false; reason: string };

/** Compares the end schema of `before` with that of `after` (both whole histories in apply order). */
export async function proveSameSchema(dialect: DialectId, before: HistoryFile[], after: HistoryFile[]): Promise<Proof> {
  if (dialect === "postgresql") return replayBoth(before, after);
  return staticProof(dialect, before, after);
}

const withoutBom = (text: string) => (text.startsWith("\uFEFF") ? text.slice(1) : text);

/**
 * What a proof starts from, kept in memory between proofs: a fresh cluster (PGlite's initdb took 4.6 s of a 13 s
 * proof on trigger.dev's 820 migrations, loading a copy 1.2 s), and the data directory after the last common prefix
 * replayed (the language server proves fix after fix of one migration, with the same history before it: such a
 * proof replays none of it again). Uncompressed: gzip took 2 s more to dump and load than the 65 MB it saves.
 */
let freshCluster: Blob | null = null;
let lastPrefix: { key: string; dataDir: Blob } | null = null;

async function replayBoth(before: HistoryFile[], after: HistoryFile[]): Promise<Proof> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pgliteDb } = await import("../replay/driver.js");
  const { extensionNames, loadPgliteExtensions } = await import("../replay/extensions.js");
  const { snapshot } = await import("../replay/introspect.js");
  const { diffSnapshots } = await import("../replay/rollback.js");
  const names = new Set<string>();
  for (const file of [...before, ...after]) for (const name of extensionNames(file.text)) names.add(name);
  const { extensions } = await loadPgliteExtensions(names);
  let common = 0;
  while (common < before.length && common < after.length && before[common]!.name === after[common]!.name && before[common]!.text === after[common]!.text) common++;
  const prefixKey = hashKey([[...names].sort(), before.slice(0, common)]);

  const open = async (dataDir: Blob | null) => {
    const instance = await PGlite.create({ extensions, ...(dataDir ? { loadDataDir: dataDir } : {}) });
    return { instance, db: pgliteDb(instance) };
  };
  let first: Awaited<ReturnType<typeof open>> | null = null;
  let second: Awaited<ReturnType<typeof open>> | null = null;
  try {
    if (lastPrefix?.key === prefixKey) first = await open(lastPrefix.dataDir);
    else {
      first = await open(freshCluster);
      freshCluster ??= (await first.instance.dumpDataDir("none")) as Blob;
      const prefix = await applyAll(first.db, before.slice(0, common));
      if (prefix) return { proven: false, reason: `the history does not replay on PGlite before the fix (${prefix}), so the fix cannot be proven` };
      lastPrefix = { key: prefixKey, dataDir: (await first.instance.dumpDataDir("none")) as Blob };
    }
    // the second database starts from a copy of the first's, after the common prefix
    second = await open(lastPrefix.dataDir);
    const original = await applyAll(first.db, before.slice(common));
    if (original) return { proven: false, reason: `the history does not replay on PGlite as it is (${original}), so the fix cannot be proven` };
    const edited = await applyAll(second.db, after.slice(common));
    if (edited) return { proven: false, reason: `with the fix, the history fails on PGlite (${edited})` };
    const differences = diffSnapshots(await snapshot(first.db), await snapshot(second.db));
    if (differences.length) return { proven: false, reason: `with the fix the end schema differs: ${differences.map((d) => describeKey(d.key)).join("; ")}` };
    return { proven: true, how: "replayed on PGlite before and after the edit: the same end schema" };
  } finally {
    await first?.db.close().catch(() => undefined);
    await second?.db.close().catch(() => undefined);
  }
}

/** Applies the files in order; returns the first failure as `<folder>: <Postgres's message>`, or null. */
async function applyAll(db: { exec(script: string): Promise<void> }, files: HistoryFile[]): Promise<string | null> {
  for (const file of files) {
    try {
      await db.exec(withoutBom(file.text));
    } catch (err) {
      // CONCURRENTLY among other statements (Prisma 7.4+ sends them one by one): as the runner does
      if (!/cannot run inside a transaction block/i.test(errorMessage(err))) return `${file.name}: ${errorMessage(err)}`;
      const failure = await applyEach(db, file);
      if (failure) return failure;
    }
  }
  return null;
}

async function applyEach(db: { exec(script: string): Promise<void> }, file: HistoryFile): Promise<string | null> {
  const { parseSqlFile } = await import("../dialects/postgres/parse.js");
  const parsed = await parseSqlFile(`${file.name}/migration.sql`, withoutBom(file.text));
  for (const statement of parsed.statements) {
    try {
      await db.exec(statement.text);
    } catch (err) {
      return `${file.name}, line ${statement.range.loc.start.line}: ${errorMessage(err)}`;
    }
  }
  return null;
}

/** `column:public.User.email:missing` as words. */
function describeKey(key: string): string {
  const parts = key.split(":");
  const change = parts.pop()!;
  const [kind, ...object] = parts;
  const what = { missing: "is gone", extra: "is new", changed: "differs", kind: "changes kind", values: "has other values", definition: "has another definition" }[change] ?? change;
  return `${kind} ${object.join(":")} ${what}`;
}

/** Without a database: the edit adds or removes only SET statements, and every other statement is as it was. */
async function staticProof(dialect: DialectId, before: HistoryFile[], after: HistoryFile[]): Promise<Proof> {
  const { loadDialect } = await import("../dialects/index.js");
  const loaded = await loadDialect(dialect);
  const byName = new Map(before.map((f) => [f.name, f.text]));
  if (before.length !== after.length || after.some((f) => !byName.has(f.name))) return { proven: false, reason: `the ${dialect} dialect has no in-process replay to prove a change of the history's folders` };
  for (const file of after) {
    const original = byName.get(file.name)!;
    if (original === file.text) continue;
    const [a, b] = await Promise.all([loaded.parseFile(`${file.name}/migration.sql`, withoutBom(original)), loaded.parseFile(`${file.name}/migration.sql`, withoutBom(file.text))]);
    const schemaStatements = (parsed: typeof a) => parsed.statements.filter((s) => s.nodeType === null || !s.operations.every((op) => op.kind === "set")).map((s) => s.text.replace(/\s+/g, " ").trim());
    if (b.parseErrors.length > a.parseErrors.length) return { proven: false, reason: `the fixed ${file.name} does not parse: ${b.parseErrors[0]!.message}` };
    if (JSON.stringify(schemaStatements(a)) !== JSON.stringify(schemaStatements(b))) return { proven: false, reason: `the ${dialect} dialect has no in-process replay, and the edit changes more than session settings (SET), so it cannot be proven` };
  }
  return { proven: true, how: "the edit adds or removes only session settings (SET); every other statement is unchanged" };
}
