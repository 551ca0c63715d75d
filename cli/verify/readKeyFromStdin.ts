import type { TextInput, TextOutput } from "../CliContext";

// A key is under 60 characters; a bigger input is a file piped in by mistake, and is not read into memory whole.
const MAX_INPUT_BYTES = 4096;

/** Reads a line from a terminal in raw mode, so the key is not echoed to the screen or its scrollback. */
async function readHidden(stdin: Required<Pick<TextInput, "setRawMode" | "on" | "off">> & TextInput, stderr: TextOutput): Promise<string> {
  stderr.write("API key (input hidden), then Enter: ");
  stdin.setRawMode(true);
  stdin.resume?.();
  try {
    return await new Promise<string>((resolve, reject) => {
      let text = "";
      const onData = (chunk: string | Buffer) => {
        for (const character of chunk.toString()) {
          if (character === "\r" || character === "\n" || character === "\u0004") {
            stdin.off("data", onData);
            resolve(text);
            return;
          }
          if (character === "\u0003") {
            stdin.off("data", onData);
            reject(new Error("cancelled"));
            return;
          }
          text = character === "\u007f" || character === "\b" ? text.slice(0, -1) : text + character;
        }
      };
      stdin.on("data", onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause?.();
    stderr.write("\n");
  }
}

async function readPiped(stdin: TextInput): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) throw new Error(`stdin holds more than ${MAX_INPUT_BYTES} bytes; pipe in exactly one key`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The one key on stdin: typed at a prompt without echo on a terminal, or piped in (`printf %s "$KEY" | apikeys
 * verify`). `command` names the command in the hint when there is no key. Surrounding whitespace and a final newline are dropped; no key, or more than one line, is an error.
 */
export async function readKeyFromStdin(stdin: TextInput, stderr: TextOutput, command = "verify"): Promise<string> {
  const text = stdin.isTTY && stdin.setRawMode && stdin.on && stdin.off ? await readHidden(stdin as Parameters<typeof readHidden>[0], stderr) : await readPiped(stdin);
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  if (lines.length === 0) throw new Error(`no key on stdin; pipe one in, for example: printf %s "$KEY" | apikeys ${command}`);
  if (lines.length > 1) throw new Error(`stdin holds ${lines.length} lines; pipe in exactly one key`);
  return lines[0];
}
