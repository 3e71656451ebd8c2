import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useSyncExternalStore } from "react";
import * as authApi from "./authApi";
import { Session } from "./session";

interface AuthValue {
  readonly session: Session;
  readonly signedIn: boolean;
  signUp(input: authApi.SignUpInput): Promise<void>;
  logIn(input: authApi.LogInInput): Promise<void>;
  logOut(): Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children, session: given }: { children: ReactNode; session?: Session }) {
  const session = useMemo(() => given ?? new Session(authApi), [given]);
  const signedIn = useSyncExternalStore(
    useCallback((listener) => session.subscribe(listener), [session]),
    () => session.signedIn,
  );

  useEffect(() => {
    const onStorage = (event: StorageEvent) => session.storageChanged(event);
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, [session]);

  const value = useMemo<AuthValue>(
    () => ({
      session,
      signedIn,
      signUp: async (input) => session.accept(await authApi.signUp(input)),
      logIn: async (input) => session.accept(await authApi.logIn(input)),
      logOut: () => session.logOut(),
    }),
    [session, signedIn],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth needs an AuthProvider above it");
  return value;
}
