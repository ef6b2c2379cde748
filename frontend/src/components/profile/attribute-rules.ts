/** Profile attributes users may edit, with the API's rules (functions/attributes). */
export const PROFILE_ATTRIBUTES = [
  { key: "department", label: "Department" },
  { key: "job_title", label: "Job title" },
  { key: "avatar_url", label: "Avatar URL" },
] as const;

export type ProfileAttributeKey = (typeof PROFILE_ATTRIBUTES)[number]["key"];

const TEXT_MAX = 100;
const URL_MAX = 2048;

/** The problem with a value, or null when the API will accept it. Empty clears the attribute. */
export function validateProfileAttribute(key: ProfileAttributeKey, value: string): string | null {
  if (key === "avatar_url") {
    if (value === "") return null;
    if (value.length > URL_MAX) return `Use at most ${URL_MAX} characters.`;
    try {
      return new URL(value).protocol === "https:" ? null : "Use an https:// URL.";
    } catch {
      return "Enter a full URL, such as https://example.com/me.png.";
    }
  }
  return value.length > TEXT_MAX ? `Use at most ${TEXT_MAX} characters.` : null;
}
