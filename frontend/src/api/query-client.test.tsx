import { useMutation, useQuery } from "@tanstack/react-query";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { toast } from "sonner";
import { describe, expect, it, vi } from "vitest";

import { ApiError, SessionExpiredError } from "@/api/errors";
import { shouldRetry } from "@/api/query-client";
import { useApi } from "@/hooks/use-api";
import { personaWithRole } from "@/test/personas";
import { installFakeApi, json, problem } from "@/test/fake-api";
import { renderUi } from "@/test/render";

function SaveButton({ onSuccess }: { onSuccess: () => void }) {
  const api = useApi();
  const save = useMutation({
    mutationFn: () => api.request("/api/profile", { method: "PATCH", body: { key: "department", value: "R&D" } }),
    onSuccess: () => {
      toast.success("Saved");
      onSuccess();
    },
  });
  return <button onClick={() => save.mutate()}>Save</button>;
}

function MeStatus() {
  const api = useApi();
  const { status } = useQuery({ queryKey: ["me"], queryFn: () => api.request("/api/me") });
  return <p>{status}</p>;
}

describe("makeQueryClient error reporting", () => {
  it("test_mutation_non_2xx_toasts_problem_and_never_success", async () => {
    installFakeApi({ "PATCH /api/profile": problem(403, "Permission denied", "You may not edit this attribute") });
    const error = vi.spyOn(toast, "error");
    const success = vi.spyOn(toast, "success");
    const onSuccess = vi.fn();
    renderUi(<SaveButton onSuccess={onSuccess} />, { user: personaWithRole("viewer") });

    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    await waitFor(() =>
      expect(error).toHaveBeenCalledWith("Permission denied", { description: "You may not edit this attribute" }),
    );
    expect(error).toHaveBeenCalledTimes(1);
    expect(success).not.toHaveBeenCalled();
    expect(onSuccess).not.toHaveBeenCalled();
  });

  it("test_mutation_2xx_runs_success_and_no_error_toast", async () => {
    installFakeApi({ "PATCH /api/profile": json({ status: "updated" }) });
    const error = vi.spyOn(toast, "error");
    const success = vi.spyOn(toast, "success");
    renderUi(<SaveButton onSuccess={() => undefined} />, { user: personaWithRole("viewer") });

    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    await waitFor(() => expect(success).toHaveBeenCalledWith("Saved"));
    expect(error).not.toHaveBeenCalled();
  });

  it("test_query_non_2xx_toasts_problem_once", async () => {
    installFakeApi({ "GET /api/me": problem(502, "Identity provider error", "Try again later") });
    const error = vi.spyOn(toast, "error");
    renderUi(<MeStatus />, { user: personaWithRole("viewer") });

    await screen.findByText("error");

    expect(error).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith("Identity provider error", { description: "Try again later" });
  });

  it("test_session_expiry_is_not_toasted_and_lands_on_login", async () => {
    installFakeApi({ "GET /api/me": problem(401, "Unauthorized") });
    const error = vi.spyOn(toast, "error");
    const { auth, router } = renderUi(<MeStatus />, { user: personaWithRole("viewer") });

    await screen.findByTestId("login-page");

    expect(auth.signinSilent).toHaveBeenCalledTimes(1);
    // The login page ends the local session on this state (session.test.tsx).
    expect(router.state.location.state).toMatchObject({ sessionExpired: true });
    expect(error).not.toHaveBeenCalled();
  });
});

describe("shouldRetry", () => {
  it.each([
    ["4xx", new ApiError({ title: "Bad", status: 422 }), 0, false],
    ["session expired", new SessionExpiredError(), 0, false],
    ["5xx first failure", new ApiError({ title: "Unavailable", status: 503 }), 0, true],
    ["network fault", new ApiError({ title: "API unreachable", status: 0 }), 1, true],
    ["5xx after two retries", new ApiError({ title: "Unavailable", status: 503 }), 2, false],
  ])("test_should_retry_%s", (_case, error, failures, expected) => {
    expect(shouldRetry(failures, error)).toBe(expected);
  });
});
