import { describe, expect, it } from "vitest";

import { returnToFromState, safeReturnTo } from "@/lib/return-to";

describe("safeReturnTo", () => {
  it.each(["/", "/keys", "/resources?cursor=abc#top", "/members/U1"])("test_safe_return_to_keeps_local_path_%s", (path) => {
    expect(safeReturnTo(path)).toBe(path);
  });

  it.each([
    ["protocol-relative", "//evil.test/x"],
    ["backslash", "/\\evil.test"],
    ["absolute URL", "https://evil.test/"],
    ["javascript URL", "javascript:alert(1)"],
    ["relative", "keys"],
    ["control character", "/keys\n/x"],
    ["not a string", 42],
    ["missing", undefined],
  ])("test_safe_return_to_rejects_%s", (_case, value) => {
    expect(safeReturnTo(value)).toBe("/");
  });
});

describe("returnToFromState", () => {
  it.each([
    ["valid state", { returnTo: "/keys" }, "/keys"],
    ["hostile state", { returnTo: "//evil.test" }, "/"],
    ["no state", undefined, "/"],
    ["string state", "/keys", "/"],
  ])("test_return_to_from_state_%s", (_case, state, expected) => {
    expect(returnToFromState(state)).toBe(expected);
  });
});
