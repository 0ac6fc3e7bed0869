/**
 * The language server's history, kept in memory between runs (`LintOptions.history`): what `--cache` keeps in a
 * file (each migration's findings by the hash of the history up to it, the parsed schema), and the catalog at
 * several points of the history instead of only at its end. A run after an edit to a migration then takes the
 * findings of every migration before it from here, restores the catalog kept just before it, and parses and lints
 * from the edited migration on: on an 820-migration history one migration instead of 820 (bench/lsp.mjs).
 *
 * Which catalogs are kept: after each of the last `TAIL` migrations (new migrations are the ones being written),
 * before each migration the caller names as being edited (`focus`), and every `STRIDE` migrations, so an edit
 * anywhere replays at most that many. Nothing here is written anywhere; a worker that ends loses it all.
 */
import path from "node:path";
import type { CatalogSnapshot } from "../history/catalog.js";
import type { Dialect } from "../dialects/dialect.js";
import type { MigrationSourceText } from "../model/load.js";
import type { PackedSchemaData, PrismaSchemaData } from "../schema/parse-schema.js";
import type { RunnerInfo } from "../types.js";
import type { CachedFindings, FindingsStore } from "./cache.js";
import { compareMessages } from "../engine/results.js";
import { ResidentFiles } from "./resident-files.js";

const TAIL = 8;
const STRIDE = 64;

/** What the last run knew of a project: enough to describe one of its statements without linting again (src/lsp/hover.ts). */
export interface RememberedProject {
  dialect: Dialect;
  runner: RunnerInfo;
  postgresVersion: number;
  /** The migrations folder, and the folder names, migration.sql paths and chain hashes of the history, in order. */
  migrationsDir: string;
  names: string[];
  files: Array<string | null>;
  chains: string[];
}

interface ProjectMemory {
  configKey: string;
  findings: Map<string, CachedFindings>;
  catalogs: Map<string, CatalogSnapshot>;
  schema: { hash: string; data: PackedSchemaData } | null;
}

export class LintHistory implements FindingsStore {
  private readonly projects = new Map<string, ProjectMemory>();
  private readonly seen = new Map<string, RememberedProject>();
  /** Migration folder names being edited: the catalog before each is kept. */
  focus = new Set<string>();
  /** The projects' files as last read, watched for changes, and what discovery found in them. */
  readonly files: ResidentFiles;

  /** `settledMs`: how long before a discovery the files it read must have last changed for it to be kept (ResidentDiscovery). */
  constructor(options: { settledMs?: number } = {}) {
    this.files = new ResidentFiles(options);
  }

  private project(root: string, configKey: string): ProjectMemory {
    let entry = this.projects.get(root);
    if (!entry) this.projects.set(root, (entry = { configKey, findings: new Map(), catalogs: new Map(), schema: null }));
    // another configuration: its findings do not apply, the catalogs (SQL only) still do
    if (entry.configKey !== configKey) [entry.configKey, entry.findings] = [configKey, new Map()];
    return entry;
  }

  findings(root: string, configKey: string, chain: string): CachedFindings | undefined {
    // the same messages to every run: a run changes none it is given (engine severities copy the ones they change,
    // src/engine/engine-findings.ts), only the lists that hold them
    return this.project(root, configKey).findings.get(chain);
  }

  snapshots(root: string, configKey: string): Array<{ chain: string; catalog: CatalogSnapshot }> {
    return [...this.project(root, configKey).catalogs].map(([chain, catalog]) => ({ chain, catalog }));
  }

  schema(root: string, hash: string): PackedSchemaData | undefined {
    const schema = this.projects.get(root)?.schema;
    return schema?.hash === hash ? schema.data : undefined;
  }

  storeSchema(root: string, hash: string, data: PrismaSchemaData): void {
    const entry = this.projects.get(root);
    // packed as the cache file holds it (SchemaSpan.toJSON), which is what unpackCachedSchema reads
    if (entry) entry.schema = { hash, data: JSON.parse(JSON.stringify(data)) as PackedSchemaData };
  }

  store(root: string, configKey: string, findings: Record<string, CachedFindings>, snapshot: { chain: string; catalog: CatalogSnapshot } | null): void {
    const entry = this.project(root, configKey);
    // sorted as results list them: a run's copy of them then needs no sort (sortMessages)
    for (const [chain, found] of Object.entries(findings)) {
      const { kept, suppressed } = structuredClone(found);
      entry.findings.set(chain, { kept: kept.sort(compareMessages), suppressed: suppressed.sort(compareMessages) });
    }
    // the catalog after the whole history, unless the newest migration is being edited (see keepsCatalogAfter)
    const seen = this.seen.get(root);
    const at = snapshot && seen ? seen.chains.lastIndexOf(snapshot.chain) : -1;
    if (snapshot && !(at >= 0 && this.focus.has(seen!.names[at]!))) entry.catalogs.set(snapshot.chain, structuredClone(snapshot.catalog));
  }

  prune(root: string, configKey: string, keep: Set<string>): void {
    const entry = this.project(root, configKey);
    for (const chain of entry.findings.keys()) if (!keep.has(chain)) entry.findings.delete(chain);
    for (const chain of entry.catalogs.keys()) if (!keep.has(chain)) entry.catalogs.delete(chain);
  }

  save(): boolean {
    return true;
  }

  keepsCatalogAfter(root: string, index: number, count: number): boolean {
    const names = this.seen.get(root)?.names;
    // not after a migration being edited: the next edit changes it, and the catalog would be of no use (its copy
    // cost 5 ms of a 20 ms re-lint of trigger.dev's newest migration)
    if (names && this.focus.has(names[index]!)) return false;
    const next = names?.[index + 1];
    return index >= count - 1 - TAIL || (index + 1) % STRIDE === 0 || (next !== undefined && this.focus.has(next));
  }

  keepCatalog(root: string, configKey: string, chain: string, catalog: CatalogSnapshot): void {
    this.project(root, configKey).catalogs.set(chain, catalog);
  }

  sawProject(root: string, facts: { dialect: Dialect; runner: RunnerInfo; postgresVersion: number; texts: MigrationSourceText[] }): void {
    const { dialect, runner, postgresVersion, texts } = facts;
    const migrationsDir = texts[0] ? path.dirname(texts[0].entry.dir) : "";
    this.seen.set(root, { dialect, runner, postgresVersion, migrationsDir, names: texts.map((t) => t.entry.name), files: texts.map((t) => t.entry.upPath), chains: texts.map((t) => t.chain) });
  }

  /** What the last run knew of the project at `root`. */
  remembered(root: string): RememberedProject | undefined {
    return this.seen.get(root);
  }

  /** What the last run knew of the project at `root`, and the catalog kept nearest before the migration at `index`. */
  recall(root: string, index: number): { project: RememberedProject; from: number; catalog: CatalogSnapshot | null } | undefined {
    const project = this.seen.get(root);
    const entry = this.projects.get(root);
    if (!project || !entry) return undefined;
    for (let at = index - 1; at >= 0; at--) {
      const catalog = entry.catalogs.get(project.chains[at]!);
      if (catalog) return { project, from: at + 1, catalog };
    }
    return { project, from: 0, catalog: null };
  }
}
