/** Control characters in text that is printed: shown escaped, never raw (the formatters and the CLI). */
/**
 * Characters that must never reach a terminal or a CI log raw: C0 controls (ESC starts ANSI and OSC
 * sequences, CR rewrites the line, LF starts a new one, which GitHub Actions runs as a workflow command
 * when it begins with `::`), DEL, C1 controls (0x9b is a one-byte CSI), the Unicode line and paragraph
 * separators, and the bidirectional overrides and isolates that reorder what is shown ("Trojan Source").
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** CONTROLS without CR and LF, for a format that escapes line breaks its own way (GitHub's %0D, %0A). */
const CONTROLS_BUT_LINE_BREAKS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Those of CONTROLS that JSON.stringify does not escape (it escapes every C0 control). */
const JSON_RAW_CONTROLS = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/**
 * Text from SQL identifiers, file names, messages or plugins, made safe to print: each control character
 * is shown as an escape (`\x1b`, `\n`, `\u202e`). Every text format runs what it prints through this;
 * `keepLineBreaks` leaves CR and LF to a format that encodes them itself.
 */
export function showControls(text: string, options: { keepLineBreaks?: boolean } = {}): string {
  return text.replace(options.keepLineBreaks ? CONTROLS_BUT_LINE_BREAKS : CONTROLS, (c) => NAMED[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}` : unicodeEscape(c)));
}

/** `\uXXXX` for one UTF-16 code unit: the escape JSON and JavaScript strings read back as that unit. */
export function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * JSON text with the characters of showControls that JSON.stringify leaves raw (DEL, C1, separators,
 * bidi controls) escaped as \uXXXX: the same data for a parser, nothing a terminal acts on.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(JSON_RAW_CONTROLS, unicodeEscape);
}
