/**
 * Initial-JavaScript budget read from Vite's build manifest (https://vite.dev/guide/backend-integration).
 *
 * "Initial" = every entry chunk plus the chunks they import statically, transitively; dynamic imports (lazy pages)
 * load later and are left out.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** 250 KB gzip (1 KB = 1000 bytes), the SPA's budget for JavaScript loaded before first render. */
export const INITIAL_JS_BUDGET_BYTES = 250_000;

/**
 * Files of the initial JavaScript, in visit order.
 *
 * @param {Record<string, {file: string, isEntry?: boolean, imports?: string[]}>} manifest Vite's `.vite/manifest.json`.
 * @returns {string[]} output paths relative to the build folder, `.js` only, each once.
 * @throws {Error} when the manifest has no entry or names an import it does not define.
 */
export function initialJsFiles(manifest) {
  const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
  if (entries.length === 0) throw new Error("the manifest has no entry chunk");
  /** @type {Set<string>} */
  const seen = new Set();
  /** @type {string[]} */
  const files = [];
  /** @param {string} key */
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest imports ${key} but does not define it`);
    if (chunk.file.endsWith(".js")) files.push(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  entries.forEach(visit);
  return files;
}

/**
 * Measure the initial JavaScript of a build.
 *
 * @param {string} distDir the Vite output folder (holding `.vite/manifest.json`).
 * @returns {Promise<{files: {file: string, gzipBytes: number}[], totalGzipBytes: number}>}
 */
export async function measureInitialJs(distDir) {
  const manifest = JSON.parse(await readFile(path.join(distDir, ".vite", "manifest.json"), "utf8"));
  const files = await Promise.all(
    initialJsFiles(manifest).map(async (file) => ({
      file,
      gzipBytes: gzipSync(await readFile(path.join(distDir, file)), { level: 9 }).length,
    })),
  );
  return { files, totalGzipBytes: files.reduce((sum, { gzipBytes }) => sum + gzipBytes, 0) };
}
