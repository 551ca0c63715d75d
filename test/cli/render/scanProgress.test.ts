import { scanProgress } from "../../../cli/render/scanProgress";
import { textBuffer } from "../../support/textBuffer";

describe("scanProgress", () => {
  it("on a terminal, rewrites one line while pages follow and clears it at the end", () => {
    const stderr = textBuffer(true);
    const progress = scanProgress(stderr, false);
    progress.page({ pages: 1, items: 100, skipped: 0, more: true });
    progress.page({ pages: 2, items: 200, skipped: 0, more: true });
    progress.page({ pages: 3, items: 250, skipped: 0, more: false });
    progress.done();
    expect(stderr.text()).toBe("\r\x1b[2Kscanning: 100 items in 1 page…\r\x1b[2Kscanning: 200 items in 2 pages…\r\x1b[2K");
  });

  it("on a terminal, prints nothing for a scan of one page", () => {
    const stderr = textBuffer(true);
    const progress = scanProgress(stderr, false);
    progress.page({ pages: 1, items: 3, skipped: 0, more: false });
    progress.done();
    expect(stderr.text()).toBe("");
  });

  it("elsewhere prints nothing unless asked, and when asked a line per page and the total", () => {
    const quiet = textBuffer();
    const silent = scanProgress(quiet, false);
    silent.page({ pages: 1, items: 100, skipped: 0, more: true });
    silent.done();
    expect(quiet.text()).toBe("");

    const log = textBuffer();
    const progress = scanProgress(log, true);
    progress.page({ pages: 1, items: 100, skipped: 0, more: true });
    progress.page({ pages: 2, items: 150, skipped: 0, more: false });
    progress.done();
    expect(log.text()).toBe("scanning: 100 items in 1 page…\nscanning: 150 items in 2 pages, done\n");
  });

  it("says how many items it left out, on a terminal, into a pipe, asked or not", () => {
    for (const [terminal, requested] of [[true, false], [false, false], [false, true]]) {
      const stderr = textBuffer(terminal);
      const progress = scanProgress(stderr, requested);
      progress.page({ pages: 1, items: 5, skipped: 2, more: false });
      progress.done();
      expect(stderr.text()).toMatch(/(^|\n)left out 2 items of the table that are neither a key record, a lookup item nor a usage item\n$/);
    }
  });
});
