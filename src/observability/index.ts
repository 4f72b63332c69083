export { createLogger, type Logger } from './logger';
export { createMetrics } from './metrics';
export { createErrorFormatter, isDatabaseUnavailable } from './errors';
export { observabilityPlugin } from './apollo-plugin';
export { httpErrorHandler, mountObservability, notFoundHandler } from './http';
export { trackDatabaseAvailability } from './database-availability';
