import { type ReactNode, useEffect, useState } from "react";
import { RelayEnvironmentProvider } from "react-relay";
import { useAuth } from "../auth/AuthContext";
import { createTallyEnvironment, type TallyEnvironment } from "./environment";

/** A Relay environment (store and socket) for as long as this subtree is mounted: one session's. */
export function SessionEnvironment({ children }: { children: ReactNode }) {
  const { session } = useAuth();
  const [tally] = useState<TallyEnvironment>(() => createTallyEnvironment(session));
  useEffect(() => tally.retain(), [tally]);
  return <RelayEnvironmentProvider environment={tally.environment}>{children}</RelayEnvironmentProvider>;
}
