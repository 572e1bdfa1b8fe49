import { FlowError, RetriableError } from "../../../flows/ports/errors";
import type { Ports } from "../../../flows/ports/ports";
import { noteStorageError, storageMessage } from "../../db/storage";

/**
 * What a port throws, as the queue must see it. Ports classify their own failures (DataError,
 * RetriableError); the database underneath throws plain SqliteErrors, and a busy or full
 * database is transient: the row is retried by its queue's policy instead of ending as a data
 * error. Anything else unclassified stays as it is (a bug: INTERNAL, not retried).
 */
export function classifyPortError(error: unknown): unknown {
  if (error instanceof FlowError) return error;
  const problem = noteStorageError(error);
  if (!problem) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new RetriableError(`${storageMessage[problem].message}: ${reason}`, {
    code: `STORAGE_${problem.toUpperCase()}`,
    cause: error,
  });
}

const isPromise = (v: unknown): v is Promise<unknown> =>
  v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function";

/** Wraps every port function so that what it throws (or rejects with) is classified. */
export function classifiedPorts(ports: Ports): Ports {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [group, impl] of Object.entries(ports) as Array<[string, Record<string, unknown>]>) {
    const wrapped: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(impl)) {
      if (typeof fn !== "function") {
        wrapped[name] = fn;
        continue;
      }
      wrapped[name] = (...args: unknown[]): unknown => {
        let result: unknown;
        try {
          result = (fn as (...a: unknown[]) => unknown).apply(impl, args);
        } catch (error) {
          throw classifyPortError(error);
        }
        return isPromise(result)
          ? result.catch((error: unknown) => {
              throw classifyPortError(error);
            })
          : result;
      };
    }
    out[group] = wrapped;
  }
  return out as unknown as Ports;
}
