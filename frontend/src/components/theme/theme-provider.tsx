import { useCallback, useEffect, useLayoutEffect, useMemo, useState, type ReactNode } from "react";

import { THEME_STORAGE_KEY, ThemeContext, type ResolvedTheme, type Theme, type ThemeState } from "./theme-context";

const DARK_QUERY = "(prefers-color-scheme: dark)";

function isTheme(value: unknown): value is Theme {
  return value === "light" || value === "dark" || value === "system";
}

function readStoredTheme(storage: Storage): Theme {
  try {
    const stored = storage.getItem(THEME_STORAGE_KEY);
    return isTheme(stored) ? stored : "system";
  } catch {
    // Storage can be blocked (privacy modes); the system preference still works.
    return "system";
  }
}

function systemTheme(): ResolvedTheme {
  return window.matchMedia(DARK_QUERY).matches ? "dark" : "light";
}

/** Dark-mode provider: follows the system until the user picks a theme, then remembers it in localStorage. */
export function ThemeProvider({ children, storage = window.localStorage }: { children: ReactNode; storage?: Storage }) {
  const [theme, setThemeState] = useState<Theme>(() => readStoredTheme(storage));
  const [system, setSystem] = useState<ResolvedTheme>(systemTheme);
  const resolvedTheme: ResolvedTheme = theme === "system" ? system : theme;

  useEffect(() => {
    const media = window.matchMedia(DARK_QUERY);
    const onChange = () => setSystem(media.matches ? "dark" : "light");
    media.addEventListener("change", onChange);
    return () => media.removeEventListener("change", onChange);
  }, []);

  // Before paint, so a reload in dark mode never flashes light.
  useLayoutEffect(() => {
    const root = document.documentElement;
    root.classList.toggle("dark", resolvedTheme === "dark");
    root.style.colorScheme = resolvedTheme;
  }, [resolvedTheme]);

  const setTheme = useCallback(
    (next: Theme) => {
      setThemeState(next);
      try {
        storage.setItem(THEME_STORAGE_KEY, next);
      } catch {
        // Not persisted when storage is blocked; the choice still applies to this page.
      }
    },
    [storage],
  );

  const value = useMemo<ThemeState>(() => ({ theme, resolvedTheme, setTheme }), [theme, resolvedTheme, setTheme]);
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
}
