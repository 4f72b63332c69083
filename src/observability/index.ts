export { createLogger, type Logger, type LogLevel } from './logger';
export { createMetrics, poolStats, type Metrics } from './metrics';
export { createErrorFormatter, isDatabaseUnavailable } from './errors';
export { observabilityPlugin } from './apollo-plugin';
export { httpErrorHandler, mountObservability, notFoundHandler } from './http';
export { currentRequestId, REQUEST_ID_HEADER } from './request-context';
