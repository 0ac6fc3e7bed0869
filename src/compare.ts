/**
 * Orders strings by UTF-16 code units: the same on every machine and in every locale, and cheap.
 * `localeCompare` (ICU collation) cost 7 ms of a 200 ms warm run for its first call alone.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
