// The forms a secret could take in a response: as is, base64, base64url and hex of its text,
// and, for secrets that are themselves encodings (whsec_ base64, hex keys), of their raw bytes.

export interface Needle {
  label: string;
  text: string;
}

export function needleForms(label: string, secret: string): Needle[] {
  const forms = new Map<string, string>();
  const add = (form: string, text: string) => {
    if (text.length >= 12 && !forms.has(text)) forms.set(text, `${label} (${form})`);
  };
  const ofBytes = (how: string, bytes: Buffer) => {
    add(`${how} as hex`, bytes.toString("hex"));
    add(`${how} as base64`, bytes.toString("base64").replace(/=+$/, ""));
    add(`${how} as base64url`, bytes.toString("base64url"));
  };
  add("plain", secret);
  add("JSON-escaped", JSON.stringify(secret).slice(1, -1));
  ofBytes("text", Buffer.from(secret, "utf8"));
  if (secret.startsWith("whsec_")) {
    const body = secret.slice("whsec_".length);
    add("without prefix", body);
    ofBytes("key bytes", Buffer.from(body, "base64"));
  }
  if (/^[0-9a-f]{32,}$/i.test(secret)) ofBytes("key bytes", Buffer.from(secret, "hex"));
  if (/^[A-Za-z0-9_-]{16,}$/.test(secret)) ofBytes("base64url bytes", Buffer.from(secret, "base64url"));
  return [...forms.entries()].map(([text, l]) => ({ label: l, text }));
}

/** The labels of the needles found in `haystack`. */
export function findNeedles(haystack: string, needles: readonly Needle[]): string[] {
  return needles.filter((n) => haystack.includes(n.text)).map((n) => n.label);
}
