import { installFakeApi, json, type Reply } from "./fake-api";
import { ACME, GLOBEX, TENANT_NAMES } from "./personas";

/**
 * A fake API for whole-app renders: the calls every page's shell makes (tenant names, health), plus `routes`.
 */
export function installAppApi(routes: Record<string, Reply> = {}) {
  return installFakeApi({
    "GET /api/health": json({ status: "ok", version: "test" }),
    "GET /api/tenants": json({
      tenants: [ACME, GLOBEX].map((id) => ({ id, name: TENANT_NAMES[id], roles: [], is_active: id === ACME })),
    }),
    ...routes,
  });
}
