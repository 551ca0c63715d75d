/** A stand-in for stdout or stderr that keeps what was written. */
export interface TextBuffer {
  write(text: string): boolean;
  isTTY?: boolean;
  /** Everything written so far. */
  text(): string;
}

/** A {@link TextBuffer}; `isTTY` makes it pose as a terminal. */
export function textBuffer(isTTY = false): TextBuffer {
  let written = "";
  return {
    isTTY,
    write(text: string) {
      written += text;
      return true;
    },
    text: () => written,
  };
}
