import type { FieldClock } from "../../capture/field-clocks";

/** What the ports of one flow run know about it. */
export interface RunScope {
  executionId: string;
  flowId: string;
  /** user_name that writes appear under. */
  runAs: string;
  /** Remote system the run acts for (inbound runs): marks writes for echo suppression. */
  originRemote?: string;
  /** Field clocks from the inbound payload, by field name (SPEC 3.8). */
  fieldClocks?: Map<string, FieldClock>;
  signal?: AbortSignal;
  /** Things left out while the run still succeeded; shown as the queue row's warning. */
  warnings: string[];
  /**
   * The idempotency keys this run's side effects recorded or found. Once the run's queue row is
   * processed nothing runs it again, so they are forgotten with that mark (issue 14: about 140
   * bytes per synced record on a receiver, kept for the whole retention before).
   */
  keysUsed: string[];
}
