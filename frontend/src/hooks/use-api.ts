import { useContext } from "react";

import { ApiContext } from "@/api/api-context";
import type { ApiClient } from "@/api/client";

/** The API client of the signed-in session; throws outside `ApiProvider`. */
export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error("useApi must be used inside <ApiProvider>");
  return client;
}
