import type { AttachmentMeta } from "../../flows/ports/ports";
import type { RecordChange } from "../records/types";
import type { Plan } from "../storage";
import type { CaptureRow } from "../sync/config-store";
import { correlationPlans } from "../sync/correlations";
import { type AttachmentRow, attachmentPlans } from "./attachment-service";
import type { AttachmentLimits } from "./limits";
import type { AttachmentKeys } from "./synthetic-keys";

export interface Offer {
  metadata: AttachmentMeta[];
  /** Files left out, with the reason (shown as the queue row's warning). */
  refused: string[];
}

/**
 * The attachment metadata a capture offers one remote (SPEC 3.6): every attachment on the
 * record's first sync to that remote (or always, in "all" mode), otherwise the ones this change
 * added. Each carries a synthetic key bound to the attachment, the remote and the record.
 */
export class AttachmentOffer {
  constructor(
    private readonly keys: AttachmentKeys,
    private readonly limits: AttachmentLimits,
  ) {}

  /** A step of the capture's plan, in the record's transaction. */
  *for(change: RecordChange, capture: CaptureRow, remoteSystemId: string): Plan<Offer> {
    if (!capture.includeAttachments || change.operation === "delete") return { metadata: [], refused: [] };
    const table = change.table.name;
    const firstSync = !(yield* correlationPlans.byRecord(remoteSystemId, table, change.sysId));
    let rows: AttachmentRow[];
    if (firstSync || capture.attachmentMode === "all") {
      rows = yield* attachmentPlans.ofRecord(table, change.sysId);
    } else {
      const added = new Set(change.attachmentChanges.filter((a) => a.kind === "added").map((a) => a.sysId));
      rows =
        added.size === 0
          ? []
          : (yield* attachmentPlans.ofRecord(table, change.sysId)).filter((a) => added.has(a.sys_id));
    }
    const offer: Offer = { metadata: [], refused: [] };
    for (const row of rows) {
      const refusal = this.limits.refusal(row.file_name, row.size_bytes);
      if (refusal) {
        offer.refused.push(refusal);
        continue;
      }
      offer.metadata.push({
        key: this.keys.issue({
          attachmentSysId: row.sys_id,
          remoteSystemId,
          table,
          recordSysId: change.sysId,
        }),
        hash: row.hash,
        file_name: row.file_name,
        content_type: row.content_type,
        size_bytes: row.size_bytes,
      });
    }
    // Deletions travel as entries marked deleted; the receiver's flow decides whether to apply them.
    for (const gone of change.attachmentChanges.filter((a) => a.kind === "removed")) {
      offer.metadata.push({
        key: "",
        hash: gone.hash,
        file_name: gone.fileName,
        content_type: "",
        size_bytes: 0,
        deleted: true,
      });
    }
    return offer;
  }
}
