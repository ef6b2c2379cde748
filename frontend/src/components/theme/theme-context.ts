import { createContext } from "react";

export type Theme = "light" | "dark" | "system";
export type ResolvedTheme = "light" | "dark";

export interface ThemeState {
  /** What the user chose; `system` follows `prefers-color-scheme`. */
  theme: Theme;
  /** What is applied to the document now. */
  resolvedTheme: ResolvedTheme;
  setTheme: (theme: Theme) => void;
}

/** localStorage key holding the user's choice; the e2e tests read it to check persistence. */
export const THEME_STORAGE_KEY = "identity-stack.theme";

export const ThemeContext = createContext<ThemeState | null>(null);
