import { UserManager } from "oidc-client-ts";

import { makeOidcSettings } from "@/auth/oidc-config";
import { config } from "@/lib/env";

/** Finish a `prompt=none` renew inside the hidden iframe: hand the response to the parent window's UserManager. */
export async function completeSilentRenew(): Promise<void> {
  await new UserManager(makeOidcSettings(config)).signinCallback();
}
