/**
 * A 106-bit hash of a string that needs no `node:crypto` (whose import alone costs ~6-8 ms of a Node 20 start):
 * for src/cache/last-run.ts, the one place where a run's whole time is a few milliseconds. Two 53-bit lanes of
 * a multiply-xorshift hash (bryc's cyrb53, public domain) with different seeds. Not for anything an adversary
 * picks: it guards against accidents (an input that changed), never against forgery.
 */
export function quickHash(text: string): string {
  return lane(text, 0x9e3779b9) + lane(text, 0x85ebca6b);
}

function lane(text: string, seed: number): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (h2 & 0x1fffff) + (h1 >>> 0)).toString(16).padStart(14, "0");
}
