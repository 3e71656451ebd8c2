import type { RecordProxy, RecordSourceSelectorProxy } from "relay-runtime";

/** The alert rules list at the root of the store: a new rule joins it, a deleted one leaves it. */
export function addRuleToList(store: RecordSourceSelectorProxy, rule: RecordProxy | null | undefined): void {
  if (!rule) return;
  const root = store.getRoot();
  const rules = root.getLinkedRecords("alertRules") ?? [];
  if (rules.some((item) => item?.getDataID() === rule.getDataID())) return;
  root.setLinkedRecords([...rules, rule], "alertRules");
}

export function removeRuleFromList(store: RecordSourceSelectorProxy, id: string): void {
  const root = store.getRoot();
  const rules = root.getLinkedRecords("alertRules");
  if (rules) root.setLinkedRecords(rules.filter((item) => item?.getDataID() !== id), "alertRules");
  store.delete(id);
}
