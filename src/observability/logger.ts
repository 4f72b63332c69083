import pino, { type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The process logger: one JSON object per line on stdout (pino). The level comes from the
 * configuration (`LOG_LEVEL`); under vitest it defaults to `silent` so test output stays readable.
 */
export function createLogger(level?: LogLevel): Logger {
  return pino({
    level: level ?? (process.env.VITEST ? 'silent' : 'info'),
    base: { service: 'customer-success-hub-api' },
    // never log credentials, even if a caller passes a request or headers object
    redact: { paths: ['authorization', '*.authorization', 'headers.authorization', 'connectionParams.authorization'], censor: '[redacted]' },
  });
}
