import os from "node:os";

/** One line naming the machine (CPUs, memory, OS) for results files. */
export function machineLine(): string {
  const cpus = os.cpus();
  const gib = (os.totalmem() / 2 ** 30).toFixed(0);
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${gib} GiB, ${os.type()} ${os.release()}`;
}

/** The median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
