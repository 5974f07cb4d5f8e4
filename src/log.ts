import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Creates the node's logger. Messages are fixed strings; ids travel as fields
 * (`nodeId`, `partition`, `entityType`, `key`, `seq`) so logs can be filtered.
 * Logs go to stderr so CLI commands can print results on stdout.
 */
export function createLogger(options: { level: string; nodeId?: string }): Logger {
  return pino({ level: options.level, base: options.nodeId ? { nodeId: options.nodeId } : {} }, pino.destination(2));
}

/** Creates a logger that drops everything, for tests and library use without output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
