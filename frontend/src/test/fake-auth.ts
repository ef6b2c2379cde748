import type { User, UserManagerEvents } from "oidc-client-ts";
import type { AuthContextProps } from "react-oidc-context";
import { vi } from "vitest";

type Listener = (...args: unknown[]) => void;

/** The subset of `UserManagerEvents` the SPA subscribes to, with a way to fire them. */
export class FakeEvents {
  private readonly listeners = new Map<string, Set<Listener>>();

  private add(name: string, listener: Listener): () => void {
    const set = this.listeners.get(name) ?? new Set();
    set.add(listener);
    this.listeners.set(name, set);
    return () => set.delete(listener);
  }

  addAccessTokenExpired = (listener: Listener) => this.add("accessTokenExpired", listener);
  addSilentRenewError = (listener: Listener) => this.add("silentRenewError", listener);

  fire(name: "accessTokenExpired" | "silentRenewError", ...args: unknown[]): void {
    for (const listener of this.listeners.get(name) ?? []) listener(...args);
  }

  count(name: string): number {
    return this.listeners.get(name)?.size ?? 0;
  }
}

export type FakeAuth = AuthContextProps & {
  events: UserManagerEvents;
  fakeEvents: FakeEvents;
  /** For a stateful harness: the latest context value, and change notifications (e.g. after `removeUser`). */
  snapshot: () => AuthContextProps;
  subscribe: (listener: () => void) => () => void;
};

/**
 * A react-oidc-context value for tests: the library boundary is faked, everything of ours runs for real.
 * Navigator methods resolve like the library's (null on failure, never a rejection from `signinSilent`);
 * `removeUser` signs out, as the real provider does once the store is cleared.
 */
export function makeAuth(user: User | null, overrides: Partial<AuthContextProps> = {}): FakeAuth {
  const fakeEvents = new FakeEvents();
  const listeners = new Set<() => void>();
  const base = {
    isLoading: false,
    activeNavigator: undefined,
    error: undefined,
    settings: { authority: "http://idp.test", client_id: "client", redirect_uri: "http://localhost:3000/callback" },
    events: fakeEvents as unknown as UserManagerEvents,
    fakeEvents,
    clearStaleState: vi.fn(async () => undefined),
    removeUser: vi.fn(async () => setUser(null)),
    signinPopup: vi.fn(),
    signinSilent: vi.fn(async () => null),
    signinRedirect: vi.fn(async () => undefined),
    signinResourceOwnerCredentials: vi.fn(),
    signoutRedirect: vi.fn(async () => undefined),
    signoutPopup: vi.fn(async () => undefined),
    signoutSilent: vi.fn(async () => undefined),
    querySessionStatus: vi.fn(async () => null),
    revokeTokens: vi.fn(async () => undefined),
    startSilentRenew: vi.fn(),
    stopSilentRenew: vi.fn(),
    snapshot: () => current,
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  let current = { ...base, user, isAuthenticated: Boolean(user), ...overrides } as FakeAuth;
  function setUser(next: User | null): void {
    current = { ...current, user: next, isAuthenticated: Boolean(next) };
    listeners.forEach((listener) => listener());
  }
  return current;
}
