import { jwtDecode } from "jwt-decode";

export type JwtClaims = Record<string, unknown>;

/**
 * Read a JWT's payload without verifying it.
 *
 * Only for display and UI gating: the API validates every token it receives. Returns `null` for anything that is
 * not a JWS compact serialisation with a JSON object payload (RFC 7519 §7.2).
 */
export function readClaims(token: string | undefined | null): JwtClaims | null {
  if (!token) return null;
  try {
    const claims: unknown = jwtDecode(token);
    return claims !== null && typeof claims === "object" && !Array.isArray(claims) ? (claims as JwtClaims) : null;
  } catch {
    return null;
  }
}
