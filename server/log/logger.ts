import pino from "pino";

export type Logger = pino.Logger;

/** Structured JSON logs on stdout, one logger per instance (SPEC 6: a debug switch per instance). */
export function createLogger(instance: string, level: string): Logger {
  return pino({ level, base: { instance } });
}
