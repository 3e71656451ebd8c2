import { createContext, useContext } from "react";

/** Who is signed in, as the shell loaded them: every page reads the time zone from here. */
export interface Viewer {
  readonly id: string;
  readonly email: string;
  readonly timeZone: string;
}

export const ViewerContext = createContext<Viewer | null>(null);

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error("useViewer needs the app shell above it");
  return viewer;
}
