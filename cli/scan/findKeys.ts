import { keySource, parseKey } from "../../contract";

/** A key found in a text: the key itself (printed masked only) and where it starts. */
export interface FoundKey {
  key: string;
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units as editors count them. */
  column: number;
}

// Any prefix the format allows, as a whole word: the pattern every scanner rule is generated from.
const WHOLE_KEY = new RegExp(`\\b${keySource()}\\b`, "g");

/**
 * Every key in `text` whose checksum holds, with its line and column. Strings of a key's shape with a wrong checksum
 * are not keys any backend issued, so they are not reported: there are no false positives to triage.
 */
export function findKeys(text: string): FoundKey[] {
  const found: FoundKey[] = [];
  let line = 1;
  let lineStart = 0;
  let counted = 0;
  for (const match of text.matchAll(WHOLE_KEY)) {
    if (!parseKey(match[0])) continue;
    for (let index = text.indexOf("\n", counted); index !== -1 && index < match.index; index = text.indexOf("\n", index + 1)) {
      line += 1;
      lineStart = index + 1;
    }
    counted = match.index;
    found.push({ key: match[0], line, column: match.index - lineStart + 1 });
  }
  return found;
}
