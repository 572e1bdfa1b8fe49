import { deflateRawSync, inflateRawSync } from "node:zlib";

// JSON texts stored by the million (queue payloads, whole journals: issue 14's storage aim)
// repeat the same key names and punctuation in every row. Deflate alone barely shrinks a
// 500-byte text (it has no history to refer back to); deflate primed with a dictionary of those
// repeated pieces takes a packed incident payload from 572 bytes to 180. zlib is Node's own:
// nothing to install, and the format is RFC 1951.
//
// The values are short, so a 2 KB window and a small hash table are enough: zlib's defaults
// (32 KB window, 256 KB of state set up on every call) cost 25 µs to pack and 12 to unpack such
// a payload in a tight loop, these 10 and 4.5 for the same size. Inside an instance a pack costs
// ~45 µs (a zlib stream set up per value), so short texts written on every record write use the
// cheaper token codec (token-codec.ts) instead.
//
// A stored value starts with one byte naming its dictionary, so a dictionary is never changed
// once used: a better one is added under a new id and the old one is kept to read old rows.

export interface DeflateDictionary {
  /** The first byte of every value packed with it (1..255; never reused). */
  readonly id: number;
  readonly bytes: Buffer;
}

const WINDOW_BITS = 11;
const PACK = { windowBits: WINDOW_BITS, memLevel: 4, level: 4 } as const;

export function dictionary(id: number, pieces: readonly string[]): DeflateDictionary {
  if (!Number.isInteger(id) || id < 1 || id > 255) throw new Error(`dictionary id ${id} is not 1..255`);
  // zlib uses the dictionary's end first (the nearest history): the commonest pieces go last.
  const bytes = Buffer.from(pieces.join(""), "utf8");
  if (bytes.length > 1 << WINDOW_BITS) throw new Error(`dictionary ${id} is longer than the window`);
  return { id, bytes };
}

export function deflateWith(dict: DeflateDictionary, text: string): Buffer {
  const body = deflateRawSync(text, { ...PACK, dictionary: dict.bytes });
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = dict.id;
  body.copy(out, 1);
  return out;
}

/** A value packed by `deflateWith` with one of `known`, back as its text. */
export function inflateWith(known: readonly DeflateDictionary[], packed: Uint8Array): string {
  const id = packed[0];
  const dict = known.find((d) => d.id === id);
  if (dict === undefined)
    throw new Error(`stored value names dictionary ${id}, which this version does not know`);
  return inflateRawSync(packed.subarray(1), { windowBits: WINDOW_BITS, dictionary: dict.bytes }).toString(
    "utf8",
  );
}
