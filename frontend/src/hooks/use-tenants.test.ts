import { describe, expect, it } from "vitest";

import { tenantsFromClaims } from "@/hooks/use-tenants";
import { readClaims } from "@/lib/jwt";
import { makeToken } from "@/test/personas";

describe("readClaims", () => {
  it("test_read_claims_valid_token_returns_payload", () => {
    expect(readClaims(makeToken({ sub: "U1", dct: "T1", nested: { a: [1] } }))).toMatchObject({
      sub: "U1",
      dct: "T1",
      nested: { a: [1] },
    });
  });

  it("test_read_claims_decodes_base64url_and_utf8", () => {
    // "Zoë ~~~ ???" contains characters whose base64 uses '-' and '_' in the URL-safe alphabet.
    expect(readClaims(makeToken({ name: "Zoë ~~~ ???" }))?.name).toBe("Zoë ~~~ ???");
  });

  it.each([
    ["undefined", undefined],
    ["empty", ""],
    ["two parts", "a.b"],
    ["garbage payload", "eyJhbGciOiJub25lIn0.!!!.x"],
    ["non-object payload", `eyJhbGciOiJub25lIn0.${btoa("[1,2]")}.`],
  ])("test_read_claims_%s_returns_null", (_case, token) => {
    expect(readClaims(token)).toBeNull();
  });
});

describe("tenantsFromClaims", () => {
  it("test_tenants_from_claims_null_claims_is_empty", () => {
    expect(tenantsFromClaims(null)).toEqual({ currentTenantId: null, tenants: [] });
  });

  it("test_tenants_from_claims_reads_dct_and_each_tenant", () => {
    const claims = {
      dct: "T1",
      tenants: { T1: { roles: ["admin"], permissions: ["keys.manage"] }, T2: { roles: ["viewer"], permissions: [] } },
    };
    expect(tenantsFromClaims(claims)).toEqual({
      currentTenantId: "T1",
      tenants: [
        { id: "T1", roles: ["admin"], permissions: ["keys.manage"] },
        { id: "T2", roles: ["viewer"], permissions: [] },
      ],
    });
  });

  it.each([
    ["tenants is a list", { dct: "T1", tenants: ["T1"] }, []],
    ["entry is not an object", { tenants: { T1: "admin" } }, [{ id: "T1", roles: [], permissions: [] }]],
    ["roles missing, permissions not strings", { tenants: { T1: { permissions: [1, "x"] } } }, [{ id: "T1", roles: [], permissions: ["x"] }]],
  ])("test_tenants_from_claims_%s_does_not_throw", (_case, claims, tenants) => {
    expect(tenantsFromClaims(claims).tenants).toEqual(tenants);
  });

  it.each([
    ["missing", {}],
    ["empty string", { dct: "" }],
    ["not a string", { dct: 7 }],
  ])("test_tenants_from_claims_dct_%s_means_no_active_tenant", (_case, claims) => {
    expect(tenantsFromClaims(claims).currentTenantId).toBeNull();
  });
});
