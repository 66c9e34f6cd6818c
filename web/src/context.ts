import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Api } from "./api/client";
import type { Agent } from "./api/types";
import type { Directory } from "./lib/directory";
import type { Live } from "./lib/live";

export interface Workspace {
  api: Api;
  dir: Directory;
  me: Agent;
  live?: Live; // Absent: no live updates (views still load on demand).
}

export const WorkspaceContext = createContext<Workspace | null>(null);

export function useWorkspace(): Workspace {
  const w = useContext(WorkspaceContext);
  if (!w) throw new Error("useWorkspace outside WorkspaceContext");
  return w;
}
