import { EventEmitter } from "node:events";
import { Readable } from "node:stream";
import type { TextInput } from "../../../cli/CliContext";
import { readKeyFromStdin } from "../../../cli/verify/readKeyFromStdin";
import { textBuffer } from "../../support/textBuffer";

const KEY = "ak_0123456789ABCDEFGHIJKLMNOPQRST4PMbyp";

/** A terminal: raw mode switchable, keystrokes delivered as data events. */
function terminal(): TextInput & { type(text: string): void; rawModes: boolean[] } {
  const events = new EventEmitter();
  const rawModes: boolean[] = [];
  return {
    isTTY: true,
    rawModes,
    setRawMode: (raw: boolean) => rawModes.push(raw),
    on: (event, listener) => events.on(event, listener),
    off: (event, listener) => events.off(event, listener),
    type: (text: string) => events.emit("data", Buffer.from(text)),
    [Symbol.asyncIterator]: () => {
      throw new Error("a terminal is read by keystrokes, not to its end");
    },
  };
}

describe("readKeyFromStdin", () => {
  it("reads a piped key, without the surrounding whitespace and final newline", async () => {
    await expect(readKeyFromStdin(Readable.from([`  ${KEY}\n`]), textBuffer())).resolves.toBe(KEY);
  });

  it("refuses empty input, pointing at how to pipe a key", async () => {
    await expect(readKeyFromStdin(Readable.from(["\n"]), textBuffer())).rejects.toThrow('no key on stdin; pipe one in, for example: printf %s "$KEY" | apikeys verify');
  });

  it("refuses more than one line, without reading them back", async () => {
    const error = await readKeyFromStdin(Readable.from([`${KEY}\n${KEY}\n`]), textBuffer()).catch((e: Error) => e);
    expect((error as Error).message).toBe("stdin holds 2 lines; pipe in exactly one key");
  });

  it("stops reading input larger than any key", async () => {
    await expect(readKeyFromStdin(Readable.from([Buffer.alloc(5000, "a")]), textBuffer())).rejects.toThrow(/more than 4096 bytes/);
  });

  it("on a terminal, prompts on stderr and reads the key in raw mode, so it is never echoed", async () => {
    const stdin = terminal();
    const stderr = textBuffer(true);
    const reading = readKeyFromStdin(stdin, stderr);
    stdin.type(KEY.slice(0, 10));
    stdin.type("x\u007f"); // a typo, erased
    stdin.type(`${KEY.slice(10)}\r`);
    await expect(reading).resolves.toBe(KEY);
    expect(stdin.rawModes).toEqual([true, false]);
    expect(stderr.text()).toBe("API key (input hidden), then Enter: \n");
  });

  it("on a terminal, Ctrl-C cancels and leaves raw mode", async () => {
    const stdin = terminal();
    const reading = readKeyFromStdin(stdin, textBuffer(true));
    stdin.type("ak_01\u0003");
    await expect(reading).rejects.toThrow("cancelled");
    expect(stdin.rawModes).toEqual([true, false]);
  });
});
