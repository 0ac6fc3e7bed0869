/**
 * " Did you mean "x"?" for a name the user mistyped (a flag, a format, a rule id, a config key), as
 * ESLint and git do: the closest known name by edit distance (fastest-levenshtein), when it is close
 * enough to be a typo (at most a third of the name's length, at least 2 edits) or one name holds the
 * other ("concurrently" for "require-concurrently"); "" when nothing is close.
 */
import { distance } from "fastest-levenshtein";

export function didYouMean(input: string, candidates: Iterable<string>): string {
  const needle = input.toLowerCase();
  let best: { name: string; score: number } | undefined;
  for (const name of candidates) {
    const candidate = name.toLowerCase();
    const edits = distance(needle, candidate);
    const contained = needle.length >= 3 && (candidate.includes(needle) || needle.includes(candidate));
    if (edits > Math.max(2, Math.floor(candidate.length / 3)) && !contained) continue;
    if (!best || edits < best.score) best = { name, score: edits };
  }
  return best ? ` Did you mean "${best.name}"?` : "";
}
