import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { CursorPager } from "@/components/common/cursor-pager";
import { useCursorPages } from "@/hooks/use-cursor-pages";

/** A list whose API answers page `p<n>` with next cursor `p<n+1>`, up to `last`. */
function PagedHarness({ last }: { last: number }) {
  const pages = useCursorPages();
  const page = pages.cursor === null ? 1 : Number(pages.cursor.slice(1));
  return (
    <>
      <output>{pages.cursor ?? "first"}</output>
      <CursorPager pages={pages} nextCursor={page < last ? `p${page + 1}` : null} loading={false} />
    </>
  );
}

const button = (name: string) => screen.getByRole("button", { name });

describe("CursorPager", () => {
  it("test_cursor_pager_first_page_disables_previous", () => {
    render(<PagedHarness last={3} />);
    expect(button("Previous")).toBeDisabled();
    expect(button("Next")).toBeEnabled();
  });

  it("test_cursor_pager_next_then_previous_returns_to_the_cursors_visited", async () => {
    render(<PagedHarness last={3} />);
    await userEvent.click(button("Next"));
    await userEvent.click(button("Next"));
    expect(screen.getByRole("status")).toHaveTextContent("p3");
    expect(button("Next")).toBeDisabled();
    await userEvent.click(button("Previous"));
    expect(screen.getByRole("status")).toHaveTextContent("p2");
    await userEvent.click(button("Previous"));
    expect(screen.getByRole("status")).toHaveTextContent("first");
    expect(button("Previous")).toBeDisabled();
  });

  it("test_cursor_pager_loading_placeholder_disables_next", () => {
    function Loading() {
      return <CursorPager pages={useCursorPages()} nextCursor="p2" loading />;
    }
    render(<Loading />);
    expect(button("Next")).toBeDisabled();
  });
});
