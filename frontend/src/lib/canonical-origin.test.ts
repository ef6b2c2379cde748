import { describe, expect, it } from "vitest";

import { canonicalUrl } from "./canonical-origin";

const page = (origin: string) => ({ origin, pathname: "/resources", search: "?page=2", hash: "#top" });

describe("canonicalUrl", () => {
  it("moves a page on another name of the dev server to the canonical origin, keeping path, query and hash", () => {
    expect(canonicalUrl(page("http://127.0.0.1:3000"), "http://localhost:3000")).toBe(
      "http://localhost:3000/resources?page=2#top",
    );
  });

  it("leaves a page already on the canonical origin alone", () => {
    expect(canonicalUrl(page("http://localhost:3000"), "http://localhost:3000/")).toBeNull();
  });

  it("does nothing when no canonical origin is configured", () => {
    expect(canonicalUrl(page("http://127.0.0.1:3000"), undefined)).toBeNull();
    expect(canonicalUrl(page("http://127.0.0.1:3000"), "  ")).toBeNull();
  });
});
