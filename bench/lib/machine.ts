import { availableParallelism, cpus, totalmem } from 'node:os';

/** The machine a run happened on, for the report. */
export function machineLine(): string {
  const model = cpus()[0]?.model?.trim() ?? 'unknown CPU';
  return `${availableParallelism()} × ${model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}`;
}
