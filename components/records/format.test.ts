import { describe, expect, it } from "vitest";
import { formatBytes, fromDateTimeInput, initials, megabytes, toDateTimeInput } from "./format";

describe("format", () => {
  it("formats sizes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2.0 KB");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MB");
    expect(megabytes(10 * 1024 * 1024)).toBe("10");
    expect(megabytes(1536 * 1024)).toBe("1.5");
  });

  it("converts date-times between storage (UTC) and datetime-local inputs", () => {
    expect(toDateTimeInput("2026-11-29 15:04:05")).toBe("2026-11-29T15:04:05");
    expect(fromDateTimeInput("2026-11-29T15:04")).toBe("2026-11-29 15:04:00");
    expect(fromDateTimeInput("2026-11-29T15:04:05")).toBe("2026-11-29 15:04:05");
    expect(fromDateTimeInput("")).toBe("");
  });

  it("makes initials", () => {
    expect(initials("Beth Anglin")).toBe("BA");
    expect(initials("admin")).toBe("A");
    expect(initials("Mary Ann de Vries")).toBe("MV");
  });
});
