/**
 * Lookups in plain objects used as maps keyed by user input (rule ids, config keys, message ids): only
 * the object's own properties count, so that "constructor", "toString" or "__proto__" are unknown keys,
 * never Object.prototype's members.
 */
export function own<T>(map: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return map && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** `map[key] = value` as an own property, also for "__proto__" (which would otherwise set the prototype). */
export function setOwn<T>(map: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}
