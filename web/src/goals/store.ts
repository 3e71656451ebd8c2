import type { RecordProxy, RecordSourceSelectorProxy } from "relay-runtime";

/** The goals list at the root of the store: a new goal joins it, a deleted one leaves it. */
export function addGoalToList(store: RecordSourceSelectorProxy, goal: RecordProxy | null | undefined): void {
  if (!goal) return;
  const root = store.getRoot();
  const goals = root.getLinkedRecords("goals") ?? [];
  if (goals.some((item) => item?.getDataID() === goal.getDataID())) return;
  root.setLinkedRecords([...goals, goal], "goals");
}

export function removeGoalFromList(store: RecordSourceSelectorProxy, id: string): void {
  const root = store.getRoot();
  const goals = root.getLinkedRecords("goals");
  if (goals) root.setLinkedRecords(goals.filter((item) => item?.getDataID() !== id), "goals");
  store.delete(id);
}
