// File names come from other people's machines (and, with sync, other instances): keep only
// a base name, drop control and direction-override characters, and bound the length.

const maxLength = 200;
// C0/C1 controls, bidi overrides/isolates, zero-width characters, BOM.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const invisible = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function sanitizeFileName(input: string): string {
  const normalized = input.normalize("NFC").replace(invisible, "");
  const base = normalized.split(/[\\/]/).pop() ?? "";
  let name = base
    .replace(/[<>:"|?*]/g, "_")
    .replace(/^[.\s]+/, "")
    .trim();
  if (name === "" || name === "." || name === "..") name = "attachment";
  if (name.length > maxLength) {
    const dot = name.lastIndexOf(".");
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
    name = name.slice(0, maxLength - ext.length) + ext;
  }
  return name;
}

/** Lower-case extension without the dot, or "" when the name has none. */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : "";
}
