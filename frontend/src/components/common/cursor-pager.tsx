import type * as React from "react";

import { Button } from "@/components/ui/button";
import type { CursorPages } from "@/hooks/use-cursor-pages";
import { cn } from "@/lib/utils";

interface CursorPagerProps extends React.ComponentProps<"div"> {
  pages: CursorPages;
  /** The `next_cursor` of the page on screen; null on the last page. */
  nextCursor: string | null;
  /** True while the previous page is still shown as a placeholder for the one being fetched. */
  loading: boolean;
}

/** "Previous" and "Next" for a list paged with opaque cursors (see `useCursorPages`). */
export function CursorPager({ pages, nextCursor, loading, className, ...props }: CursorPagerProps) {
  return (
    <div data-slot="cursor-pager" className={cn("flex justify-end gap-2", className)} {...props}>
      <Button variant="outline" size="sm" disabled={pages.isFirstPage} onClick={pages.previous}>
        Previous
      </Button>
      <Button variant="outline" size="sm" disabled={!nextCursor || loading} onClick={() => nextCursor && pages.next(nextCursor)}>
        Next
      </Button>
    </div>
  );
}
