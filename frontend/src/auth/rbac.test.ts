import { describe, expect, it } from "vitest";

import { canGrant, highestRank, ROLES } from "@/auth/rbac";

describe("canGrant", () => {
  // Rows: granter's role; columns: owner, admin, member, viewer (issue 5: nobody grants above their own rank).
  it.each([
    ["owner", [true, true, true, true]],
    ["admin", [false, true, true, true]],
    ["member", [false, false, true, true]],
    ["viewer", [false, false, false, true]],
  ] as const)("test_can_grant_%s_matches_rank_rule", (granter, expected) => {
    expect(ROLES.map((role) => canGrant([granter], role))).toEqual(expected);
  });

  it("test_can_grant_uses_strongest_of_several_roles", () => {
    expect(canGrant(["viewer", "admin"], "admin")).toBe(true);
  });

  it.each([
    ["no roles", [], "viewer"],
    ["unknown target role", ["owner"], "superuser"],
    ["unknown granter role", ["root"], "viewer"],
  ])("test_can_grant_%s_is_false", (_case, granter, role) => {
    expect(canGrant(granter, role)).toBe(false);
  });

  it("test_highest_rank_ignores_unknown_and_inherited_object_keys", () => {
    expect(highestRank(["toString", "constructor"])).toBe(0);
    expect(highestRank(["member", "x"])).toBe(2);
  });
});
