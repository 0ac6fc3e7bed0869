/**
 * Evidence that a dropped column or table and an added one are the same thing under a new name.
 * A matching type alone is no evidence (every table has several text columns): the names must say
 * so (shared words of camelCase / snake_case names, one contained in the other), or the migration's
 * own name, or schema.prisma (a field that kept its name and maps to the new column).
 */

/** Words that say nothing about what a column holds: `userId` and `queueId` share only "id". */
const GENERIC = new Set(["id", "ids", "at", "is", "has", "by", "of", "on", "in", "to", "the", "and", "or", "a", "b"]);

/** `profileURL` -> ["profile", "url"], `session_state` -> ["session", "state"], `tokens` -> ["token"]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => (w.length > 3 && w.endsWith("ies") ? `${w.slice(0, -3)}y` : w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w));
}

const significant = (name: string) => [...new Set(nameWords(name).filter((w) => !GENERIC.has(w)))];
/** A word of a name found in another list of words, allowing for inflection (`dispatched` / `dispatch`). */
const wordIn = (word: string, words: string[]) => words.some((w) => w === word || (Math.min(w.length, word.length) >= 4 && (w.startsWith(word) || word.startsWith(w))));

/** Same words, whatever the case style and order: `userId` / `user_id`, `enabledTypedSignature` / `typedSignatureEnabled`. */
export function sameWords(a: string, b: string): boolean {
  return a === b || wordKey(a) === wordKey(b);
}

const wordKeys = new Map<string, string>();
/** A name's words sorted, remembered: implicit-rename compares every column of a dropped table with every column of a created one (36 ms of a cold trigger.dev run). */
function wordKey(name: string): string {
  let key = wordKeys.get(name);
  if (key === undefined) {
    if (wordKeys.size >= 10_000) wordKeys.clear();
    key = nameWords(name).sort().join(" ");
    wordKeys.set(name, key);
  }
  return key;
}

export interface NameEvidence {
  /** 0..1, used to rank competing pairs. */
  score: number;
  /** Why the pair looks like a rename, for the message. */
  why: string;
}

/**
 * What the names of `from` and `to` (and the migration's folder name) say about a rename,
 * or null when they say nothing.
 */
export function nameEvidence(from: string, to: string, migrationName: string): NameEvidence | null {
  const found: NameEvidence[] = [];
  const [a, b] = [significant(from), significant(to)];
  if (sameWords(from, to)) found.push({ score: 1, why: `the names have the same words` });
  else if (a.length && a.length === b.length && a.every((w) => b.includes(w))) {
    const differ = differing(from, to);
    found.push({ score: 0.9, why: differ.length ? `the names differ only in ${quoteList(differ)}` : `the names share ${quoteList(a)}` });
  }
  else {
    const shared = a.filter((w) => b.includes(w));
    const share = shared.length / new Set([...a, ...b]).size;
    if (shared.length && share >= 0.5) found.push({ score: 0.8 * share, why: `the names share ${quoteList(shared)}` });
  }
  const [x, y] = [from.toLowerCase().replace(/[^a-z0-9]/g, ""), to.toLowerCase().replace(/[^a-z0-9]/g, "")];
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  if (!found.length && short.length >= 4 && long.includes(short)) found.push({ score: 0.5, why: `"${short === x ? from : to}" is part of "${short === x ? to : from}"` });

  const label = migrationName.replace(/^\d+_?/, "");
  const words = nameWords(label);
  const mentions = (w: string[]) => w.length > 0 && w.every((word) => wordIn(word, words));
  const firstAt = (w: string[]) => Math.min(...w.map((word) => words.findIndex((m) => wordIn(word, [m]))));
  if (mentions(a) && mentions(b) && firstAt(a) < firstAt(b) && !a.every((w) => b.includes(w))) found.push({ score: 0.95, why: `the migration's name "${label}" names both` });
  else if (words.some((w) => w.startsWith("renam")) && (mentions(a) || mentions(b))) found.push({ score: 0.6, why: `the migration's name "${label}" says rename` });

  if (!found.length) return null;
  return { score: Math.max(...found.map((e) => e.score)) + found.length * 0.01, why: found.map((e) => e.why).join("; ") };
}

function differing(from: string, to: string): string[] {
  const [a, b] = [nameWords(from), nameWords(to)];
  return [...a.filter((w) => !b.includes(w)), ...b.filter((w) => !a.includes(w))];
}

function quoteList(words: string[]): string {
  return words.map((w) => `"${w}"`).join(", ");
}

/** The best pairing overall: strongest candidates first, each side used once (so `expires` goes to `expiresAt`, not to the `createdAt` listed before it). */
export function bestPairs<T extends { from: unknown; to: unknown; score: number }>(candidates: T[]): T[] {
  const usedFrom = new Set<unknown>();
  const usedTo = new Set<unknown>();
  const chosen: T[] = [];
  for (const c of [...candidates].sort((p, q) => q.score - p.score)) {
    if (usedFrom.has(c.from) || usedTo.has(c.to)) continue;
    usedFrom.add(c.from);
    usedTo.add(c.to);
    chosen.push(c);
  }
  return chosen;
}
