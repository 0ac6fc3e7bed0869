/**
 * The cache stage of a project's lint: which migrations the cache can answer for (their findings, and the
 * catalog just before the first one it cannot), and what this run stores for the next.
 */
import { builtCodeDigest, TOOL_VERSION } from "../version.js";
import { codeDigest } from "./code-digest.js";
import { type CachedFindings, type FindingsStore } from "./cache.js";
import { hashKey } from "../hash.js";
import { Catalog, type CatalogSnapshot } from "../history/catalog.js";
import type { ResolvedConfig } from "../config/types.js";
import type { LoadedMigration, MessagesByFile } from "../engine/linter.js";
import { hasFile, type MigrationSourceText } from "../model/load.js";
import type { RunnerInfo } from "../types.js";
import type { PrismaSchemaData } from "../schema/parse-schema.js";

export interface CachePlan {
  /** Parse and replay from this migration on; the catalog before it comes from the cache. */
  startIndex: number;
  catalog: Catalog | undefined;
  /** In-scope migrations before `startIndex`, whose findings are cached. */
  cached: Set<number>;
  hits: Map<number, CachedFindings>;
}

/**
 * What cached findings depend on besides the migration's own text: the code of every rule that runs (ours by the
 * tool version and the digest of the built code, so a rebuilt dist of the same version misses; a plugin's or rules
 * folder's by its content), the settings that change a verdict, the runner model, the schema and the provider.
 */
export function cacheConfigKey(config: ResolvedConfig, facts: { reportUnused: 0 | 1 | 2; runner: RunnerInfo; schemaHash: string; lockProvider: string | null; hashPluginCode: boolean }): string {
  const digests = new Map<string, string>();
  return hashKey([
    TOOL_VERSION,
    builtCodeDigest(),
    config.rules.map((r) => [r.id, r.severity, r.options, r.source && facts.hashPluginCode ? codeDigest(r.source, digests) : null]),
    config.postgresVersion,
    config.requireDisableReason,
    facts.reportUnused,
    facts.runner.model,
    facts.schemaHash,
    facts.lockProvider,
  ]);
}

/**
 * Finds the first in-scope migration without cached findings; everything
 * before it can come from the cache if the cached catalog sits just before it
 * (or later). Otherwise the whole history is parsed and replayed.
 */
export function planFromCache(cache: FindingsStore, root: string, configKey: string, texts: MigrationSourceText[], inScope: (index: number) => boolean): CachePlan {
  const hits = new Map<number, CachedFindings>();
  let firstMiss = texts.length;
  for (const t of texts) {
    if (!inScope(t.index)) continue;
    const hit = t.error === null ? cache.findings(root, configKey, t.chain) : undefined;
    if (!hit) {
      firstMiss = t.index;
      break;
    }
    hits.set(t.index, hit);
  }
  // the latest catalog kept before the first miss: the history's chains are unique, so the first one kept going back
  // from the miss (a resident process keeps the catalog just before the migration being edited: one step)
  const kept = new Map(cache.snapshots(root, configKey).map((s) => [s.chain, s]));
  let snapshot: { chain: string; catalog: CatalogSnapshot } | undefined;
  let snapshotAt = -1;
  for (let index = Math.min(firstMiss, texts.length) - 1; index >= 0 && kept.size; index--) {
    snapshot = kept.get(texts[index]!.chain);
    if (snapshot) {
      snapshotAt = index;
      break;
    }
  }
  // the cached catalog is usable when it ends before the first miss; cached in-scope migrations after it are linted again
  if (snapshot && snapshotAt >= 0 && snapshotAt < firstMiss) {
    let catalog: Catalog | undefined;
    try {
      catalog = Catalog.fromSnapshot(snapshot.catalog);
    } catch {
      catalog = undefined;
    }
    if (catalog) {
      const cached = new Set<number>();
      for (const index of hits.keys()) if (index <= snapshotAt) cached.add(index);
      return { startIndex: snapshotAt + 1, catalog, cached, hits };
    }
  }
  return { startIndex: 0, catalog: undefined, cached: new Set(), hits: new Map() };
}

/**
 * Merges the cached findings of cached migrations into `byFile` / `suppressed`, and stores the fresh ones (without
 * the findings of rules that read git, which depend on more than the text), the catalog after the whole history
 * and the parsed schema for the next run.
 */
export function mergeAndStore(
  cache: FindingsStore,
  plan: CachePlan,
  run: {
    root: string;
    configKey: string;
    config: ResolvedConfig;
    texts: MigrationSourceText[];
    loaded: LoadedMigration[];
    linted: LoadedMigration[];
    catalog: Catalog;
    byFile: MessagesByFile;
    suppressed: MessagesByFile;
    /** The parsed schema to store, when it did not come from the cache. */
    schemaToStore: { hash: string; data: PrismaSchemaData } | null;
  },
): void {
  const { root, configKey, texts, byFile, suppressed } = run;
  const gitRuleIds = new Set(run.config.rules.filter((r) => r.rule.meta.requires?.git).map((r) => r.id));
  const store: Record<string, CachedFindings> = {};
  for (const m of run.linted) {
    const file = m.entry.upPath;
    const chain = texts[m.index]!.chain;
    if (!file || !hasFile(m)) continue;
    const hit = plan.cached.has(m.index) ? plan.hits.get(m.index) : undefined;
    if (hit) {
      // the cached lists are shared between a resident process's runs: each run's lists are copies
      const found = byFile.get(file);
      byFile.set(file, found?.length ? [...hit.kept, ...found] : hit.kept.slice());
      if (hit.suppressed.length) suppressed.set(file, [...hit.suppressed, ...(suppressed.get(file) ?? [])]);
      continue;
    }
    store[chain] = {
      kept: (byFile.get(file) ?? []).filter((msg) => !gitRuleIds.has(msg.ruleId ?? "")),
      suppressed: (suppressed.get(file) ?? []).filter((msg) => !gitRuleIds.has(msg.ruleId ?? "")),
    };
  }
  const last = texts.at(-1);
  const complete = run.loaded.every((m) => m.index < plan.startIndex || m.file !== null);
  // the catalog after the whole history, unless the cache has it already
  const fresher = last && complete && !cache.snapshots(root, configKey).some((s) => s.chain === last.chain);
  // the snapshot is made when the store takes it: a resident process does not keep the catalog after a migration
  // being edited (LintHistory.keepsCatalogAfter), which a re-lint of the newest migration would make every edit
  const catalog = run.catalog;
  let made: CatalogSnapshot | undefined;
  cache.store(root, configKey, store, fresher ? { chain: last.chain, get catalog() { return (made ??= catalog.snapshot()); } } : null);
  cache.prune(root, configKey, new Set(texts.map((t) => t.chain)));
  if (run.schemaToStore) cache.storeSchema(root, run.schemaToStore.hash, run.schemaToStore.data);
  cache.storeFileRecords?.(root, new Map(texts.flatMap((t) => (t.record ? [[t.entry.upPath!, t.record]] : []))));
  cache.save();
}
