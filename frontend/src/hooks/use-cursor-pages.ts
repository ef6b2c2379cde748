import { useState } from "react";

/** Where a cursor-paginated list is, and how to move through it. */
export interface CursorPages {
  /** The cursor of the page on screen; null for the first page. */
  cursor: string | null;
  isFirstPage: boolean;
  previous: () => void;
  next: (cursor: string) => void;
}

/**
 * Pages of a list whose API hands out opaque, forward-only cursors (`Page.next_cursor`): the cursors of the pages
 * already visited are kept so "Previous" can go back.
 */
export function useCursorPages(): CursorPages {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    cursor: cursors.at(-1) ?? null,
    isFirstPage: cursors.length === 1,
    previous: () => setCursors((all) => (all.length > 1 ? all.slice(0, -1) : all)),
    next: (cursor) => setCursors((all) => [...all, cursor]),
  };
}
