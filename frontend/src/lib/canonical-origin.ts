/**
 * The API's CORS allows exactly one browser origin (template.yaml `AllowedOrigin`), while a dev server answers on every
 * name of its address: to a browser `http://127.0.0.1:3000` and `http://localhost:3000` are different origins, and
 * the API refuses the one it was not configured for. `VITE_CANONICAL_ORIGIN` names the allowed one.
 */

type PageLocation = Pick<Location, "origin" | "pathname" | "search" | "hash">;

/** The same page on `canonicalOrigin`, or `null` when the page is already there or no canonical origin is set. */
export function canonicalUrl(location: PageLocation, canonicalOrigin: string | undefined): string | null {
  const origin = canonicalOrigin?.trim().replace(/\/+$/, "");
  if (!origin || location.origin === origin) return null;
  return `${origin}${location.pathname}${location.search}${location.hash}`;
}
