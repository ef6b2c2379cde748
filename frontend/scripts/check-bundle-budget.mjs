/** `npm run check:budget`: fail when the built SPA's initial JavaScript exceeds its gzip budget. Run after `npm run build`. */
import path from "node:path";
import { fileURLToPath } from "node:url";

import { INITIAL_JS_BUDGET_BYTES, measureInitialJs } from "./bundle-budget.mjs";

const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "dist");
/** @param {number} bytes */
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;

try {
  const { files, totalGzipBytes } = await measureInitialJs(distDir);
  for (const { file, gzipBytes } of files) console.log(`  ${kb(gzipBytes).padStart(9)}  ${file}`);
  const verdict = totalGzipBytes <= INITIAL_JS_BUDGET_BYTES ? "within" : "OVER";
  console.log(`initial JS ${kb(totalGzipBytes)} gzip: ${verdict} the ${kb(INITIAL_JS_BUDGET_BYTES)} budget`);
  process.exitCode = totalGzipBytes <= INITIAL_JS_BUDGET_BYTES ? 0 : 1;
} catch (error) {
  console.error(`bundle budget: ${error instanceof Error ? error.message : error} (run \`npm run build\` first)`);
  process.exitCode = 2;
}
