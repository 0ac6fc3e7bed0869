/**
 * The one redaction every text migration-lint shows goes through (CLI output,
 * notes, reports, `--print-config`, errors, replay findings): passwords of
 * connection strings never appear, in whatever form the connection string was
 * given:
 *
 *   postgresql://user:secret@host/db          (URL; password raw or %-encoded)
 *   postgresql://user@host/db?password=secret (query parameter; also sslpassword)
 *   user:secret@host:5432/db                  (a URL without its scheme)
 *   host=h user=u password=secret dbname=d    (libpq key=value; 'quoted values' too)
 *   jdbc:postgresql://host/db?user=u&password=secret
 *
 * The patterns' repetitions are bounded, so that redacting a large report
 * stays linear (an unbounded one rescanned a long run of letters from every
 * position).
 *
 * Two passes: every secret known to be in play (taken from the connection
 * string the user gave, in all of its spellings) is replaced wherever it
 * appears, and every password-shaped part of any connection string in the
 * text is replaced too (a connection string an error message quotes, or one
 * that was never parsed).
 */

export const REDACTED = "***";

/** Secrets shorter than this are not replaced as free text (a password "a" would otherwise erase every "a"); their structured forms still are. */
const MIN_FREE_TEXT_SECRET = 3;

/** Password values in `input`, a connection string in any of the forms above (or anything else: then what looks like one). */
export function secretsOf(input: string | undefined): string[] {
  if (!input) return [];
  const found = new Set<string>();
  const add = (value: string | null | undefined) => {
    if (!value) return;
    found.add(value);
    const decoded = safeDecode(value);
    found.add(decoded);
    found.add(encodeURIComponent(decoded));
  };
  const fromUrl = (text: string) => {
    try {
      const url = new URL(text);
      add(url.password);
      for (const key of SECRET_PARAMS) for (const value of url.searchParams.getAll(key)) add(value);
    } catch {
      // not a URL in this spelling
    }
  };
  fromUrl(input);
  fromUrl(input.replace(/^jdbc:/i, ""));
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) fromUrl(`postgresql://${input}`);
  // userinfo up to the last "@" before the path (what a URL parser takes), also when the URL does not parse
  const lastAt = /^(?:(?:jdbc:)?[a-z][a-z0-9+.-]*:\/\/)?[^\s:/@]*:(.*)@[^@]*$/i.exec(input);
  if (lastAt) add(lastAt[1]);
  else for (const match of input.matchAll(/(?:^|\/\/)[^\s:/@]*:([^\s@]*)@/g)) add(match[1]);
  for (const match of input.matchAll(KEY_VALUE)) add(unquote(match[2]!));
  return [...found].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

const SECRET_PARAMS = ["password", "sslpassword"];

/** `password=value` in a query string or a libpq key=value string (value: 'quoted with \' escapes', or up to a separator). */
export const KEY_VALUE = /(\b(?:ssl)?password\s{0,16}=\s{0,16})('(?:[^'\\]|\\.){0,1024}'?|[^\s&;#'"]{1,1024})/gi;

function unquote(value: string): string {
  return value.startsWith("'") ? value.replace(/^'|'$/g, "").replace(/\\(.)/g, "$1") : value;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** scheme://user:password@  (also jdbc:postgresql://) */
export const SCHEME_USERINFO = /(\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/@'"]{0,256}:)[^\s@'"]{0,1024}(@)/gi;
/** user:password@host without a scheme (followed by a port, a path, or the end of the word) */
export const BARE_USERINFO = /(^|[^\w/:@.-])([\w.-]{1,256}:)[^\s@/'"]{1,1024}(@[\w.-]{1,256}(?::\d{1,5})?(?=[/\s'"]|$))/g;

/** `text` with every secret in `secrets` and every password-shaped part of a connection string replaced by `***`. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= MIN_FREE_TEXT_SECRET && secret !== REDACTED) out = out.split(secret).join(REDACTED);
  if (mayHoldUserinfo(out)) {
    out = out.replace(SCHEME_USERINFO, `$1${REDACTED}$2`);
    out = out.replace(BARE_USERINFO, `$1$2${REDACTED}$3`);
  }
  out = out.replace(KEY_VALUE, `$1${REDACTED}`);
  return out;
}

/** The longest password the two userinfo patterns of `redact` take: a ':' at most this far before an '@'. */
const MAX_PASSWORD = 1024;

/**
 * Whether `text` may hold a `user:password@` the two userinfo patterns of `redact` would replace. Each of their
 * matches ends at an '@' with a ':' at most MAX_PASSWORD + 1 characters before it and no whitespace or quote in
 * between, so where no '@' has one, neither pattern can match and both are skipped. A JSON report is ~1 MB whose
 * findings mention `@map` and whose docs URLs each start a `://` candidate: the two scans cost ~40 ms there, this
 * check well under 1 ms (a backward look of a few characters from each '@', which is mostly preceded by a space).
 */
export function mayHoldUserinfo(text: string): boolean {
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    for (let i = at - 1; i >= 0 && at - i <= MAX_PASSWORD + 1; i--) {
      const c = text.charCodeAt(i);
      if (c === 0x3a) return true; // ':'
      if (c === 0x22 || c === 0x27 || c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c > 0x7f && /\s/.test(text[i]!))) break;
    }
  }
  return false;
}

/**
 * A connection string as it may be shown: a URL that parses, with its
 * password (userinfo and query parameters) replaced; anything else is never
 * shown, not even in part, since which part is the password cannot be known.
 */
export function redactConnectionString(input: string): string {
  const hidden = "(a connection string that is not a plain URL; not shown, as it may hold a password)";
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return hidden;
  }
  // shown only when the URL parser and a reader agree where the password is: a raw "/", "?", "#" or "@" in it
  // makes the parser cut it short, and the rest would be shown as host, path or fragment
  const written = /^[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:(.*)@[^@]*$/i.exec(input)?.[1];
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(input) || url.hash || (written !== undefined && safeDecode(written) !== safeDecode(url.password))) return hidden;
  if (url.password) url.password = REDACTED;
  for (const key of SECRET_PARAMS) if (url.searchParams.has(key)) url.searchParams.set(key, REDACTED);
  return redact(url.toString(), secretsOf(input));
}
