import type { TextOutput } from "../CliContext";
import type { ScanProgress } from "../backend/scanKeys";

/** Reports a scan's pages on stderr. */
export interface ScanProgressReporter {
  page(progress: ScanProgress): void;
  /**
   * Ends the report: clears the terminal line, or prints the total when asked for progress explicitly; and says, in
   * any case, how many items the scan left out.
   */
  done(): void;
}

/**
 * Progress for scans that take more than one page. On a terminal it rewrites one line, so nothing is left above the
 * output; elsewhere (`--progress` into a log) it prints a line per page and the total. A one-page scan on a terminal
 * prints nothing. Items left out are always told. Everything goes to stderr, so `--json` and `--csv` on stdout stay clean.
 */
export function scanProgress(stderr: TextOutput, requested: boolean): ScanProgressReporter {
  const terminal = stderr.isTTY === true;
  let shown = false;
  let last: ScanProgress | undefined;
  const line = ({ pages, items }: ScanProgress) => `scanning: ${items} items in ${pages} page${pages === 1 ? "" : "s"}`;
  return {
    page(progress) {
      last = progress;
      if (!(terminal || requested) || !progress.more) return;
      shown = true;
      stderr.write(terminal ? `\r\x1b[2K${line(progress)}…` : `${line(progress)}…\n`);
    },
    done() {
      if (terminal && shown) stderr.write("\r\x1b[2K");
      else if (!terminal && requested && last) stderr.write(`${line(last)}, done\n`);
      // An item written by hand, or of a type a later release adds: not an error, but not to pass over in silence.
      if (last?.skipped) stderr.write(`left out ${last.skipped} item${last.skipped === 1 ? "" : "s"} of the table that ${last.skipped === 1 ? "is" : "are"} neither a key record, a lookup item nor a usage item\n`);
    },
  };
}
