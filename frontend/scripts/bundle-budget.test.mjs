// @vitest-environment node
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { initialJsFiles, measureInitialJs } from "./bundle-budget.mjs";

const MANIFEST = {
  "index.html": { file: "assets/index.js", isEntry: true, imports: ["_vendor.js"], dynamicImports: ["src/page.tsx"], css: ["assets/index.css"] },
  "_vendor.js": { file: "assets/vendor.js", imports: ["_shared.js"] },
  "_shared.js": { file: "assets/shared.js", imports: ["index.html"] },
  "src/page.tsx": { file: "assets/page.js", isDynamicEntry: true, imports: ["_shared.js", "_lazy-only.js"] },
  "_lazy-only.js": { file: "assets/lazy-only.js" },
};

describe("initialJsFiles", () => {
  it("test_initial_js_files_follows_static_imports_and_skips_dynamic", () => {
    expect(initialJsFiles(MANIFEST)).toEqual(["assets/index.js", "assets/vendor.js", "assets/shared.js"]);
  });

  it("test_initial_js_files_without_entry_throws", () => {
    expect(() => initialJsFiles({ "_a.js": { file: "assets/a.js" } })).toThrow(/no entry/);
  });

  it("test_initial_js_files_unknown_import_throws", () => {
    expect(() => initialJsFiles({ "index.html": { file: "a.js", isEntry: true, imports: ["_gone.js"] } })).toThrow(/_gone\.js/);
  });
});

describe("measureInitialJs", () => {
  /** @type {string | undefined} */
  let dir;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("test_measure_initial_js_sums_gzip_sizes_of_initial_files_only", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "budget-"));
    await mkdir(path.join(dir, ".vite"));
    await mkdir(path.join(dir, "assets"));
    await writeFile(path.join(dir, ".vite", "manifest.json"), JSON.stringify(MANIFEST));
    await writeFile(path.join(dir, "assets", "index.js"), "a".repeat(10_000));
    await writeFile(path.join(dir, "assets", "vendor.js"), "b".repeat(10_000));
    await writeFile(path.join(dir, "assets", "shared.js"), "c".repeat(10_000));
    // Random bytes do not compress: had the lazy chunk been counted, the total would exceed 100 KB.
    await writeFile(path.join(dir, "assets", "lazy-only.js"), crypto.getRandomValues(new Uint8Array(65_536)));
    await writeFile(path.join(dir, "assets", "page.js"), crypto.getRandomValues(new Uint8Array(65_536)));

    const { files, totalGzipBytes } = await measureInitialJs(dir);

    expect(files.map(({ file }) => file)).toEqual(["assets/index.js", "assets/vendor.js", "assets/shared.js"]);
    expect(totalGzipBytes).toBe(files.reduce((sum, { gzipBytes }) => sum + gzipBytes, 0));
    expect(totalGzipBytes).toBeGreaterThan(0);
    expect(totalGzipBytes).toBeLessThan(1_000);
  });
});
