import { describe, expect, it } from "vitest";
import { tokenCodec } from "./token-codec";

describe("token codec", () => {
  const codec = tokenCodec("t", ['","', '"],["', "description", "short_description"]);

  it("swaps each token for one character and reads it back, the longer token winning", () => {
    const json = JSON.stringify([
      ["short_description", "a"],
      ["description", "b"],
    ]);
    const stored = codec.encode(json);
    expect(stored).toBe('\u001et[["\u0004\u0001a\u0002\u0003\u0001b"]]');
    expect(codec.decode(stored)).toBe(json);
  });

  it("round-trips any JSON text: control characters in values are escaped by JSON itself", () => {
    for (const value of [["tab\there", "nul\u0000", "\u001e mark"], { emoji: "🖨️", quote: '"],["' }, "", []]) {
      const json = JSON.stringify(value);
      expect(codec.decode(codec.encode(json))).toBe(json);
    }
  });

  it("reads plain text as it is, and refuses another codec's value", () => {
    expect(codec.decode('[["a","b"]]')).toBe('[["a","b"]]');
    expect(() => codec.decode("\u001eq\u0001")).toThrow(/token codec "q"/);
  });

  it("refuses a token list it could not read back", () => {
    expect(() => tokenCodec("x", [])).toThrow(/1 to 29 tokens/);
    expect(() =>
      tokenCodec(
        "x",
        Array.from({ length: 30 }, (_, i) => `t${i}`),
      ),
    ).toThrow(/1 to 29/);
    expect(() => tokenCodec("x", ["a", "a"])).toThrow(/distinct/);
    expect(() => tokenCodec("x", ["a\u0001"])).toThrow(/control characters/);
    expect(() => tokenCodec("xy", ["a"])).toThrow(/one printable character/);
  });
});
