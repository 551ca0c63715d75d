import { parseKey } from "../contract";

// The shape of a key; parseKey then checks the checksum, so ordinary identifiers are left alone.
const KEY_SHAPE = /[a-z][a-z0-9]{1,15}_[0-9A-Za-z]{36}/g;

/** Replaces every well-formed key in `text` with "[redacted key]": for anything the CLI prints about its input. */
export function redactKeys(text: string): string {
  return text.replace(KEY_SHAPE, (candidate) => (parseKey(candidate) ? "[redacted key]" : candidate));
}
