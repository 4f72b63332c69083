import pino, { type Logger } from 'pino';
import { Writable } from 'node:stream';

/** A pino logger that keeps every line in memory, parsed, for tests that assert on logs. */
export function captureLogs(): { logger: Logger; lines: Record<string, any>[] } {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}
