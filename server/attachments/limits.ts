import { extensionOf } from "./file-names";

/** Size and extension limits, applied on both sides of a transfer before any byte is stored. */
export class AttachmentLimits {
  private readonly blocked: Set<string>;

  constructor(
    readonly maxBytes: number,
    blockedExtensions: string[],
  ) {
    this.blocked = new Set(blockedExtensions);
  }

  /** Why a file may not travel, or null when it may. */
  refusal(fileName: string, sizeBytes: number): string | null {
    if (sizeBytes > this.maxBytes) {
      return `${fileName} is ${formatBytes(sizeBytes)}, over the ${formatBytes(this.maxBytes)} limit`;
    }
    const ext = extensionOf(fileName);
    if (ext && this.blocked.has(ext)) return `${fileName}: .${ext} files are not allowed`;
    return null;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
