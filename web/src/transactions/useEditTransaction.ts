import { useCallback, useState } from "react";
import { graphql, useMutation } from "react-relay";
import type { RecordSourceSelectorProxy } from "relay-runtime";
import type { useEditTransactionMutation, UpdateTransactionInput } from "../__generated__/useEditTransactionMutation.graphql";
import { ApiError, errorMessage } from "../api/errors";
import type { Named } from "./Pickers";

const mutation = graphql`
  mutation useEditTransactionMutation($input: UpdateTransactionInput!) {
    updateTransaction(input: $input) {
      transaction {
        ...TransactionRow_transaction
      }
    }
  }
`;

/** The fields a row edits in place, each saved on its own. */
export type EditedField = "categoryId" | "payeeId" | "notes" | "tagIds" | "reviewed";

/** A change of one field, with how it looks before the server agrees. */
export type Edit =
  | { readonly field: "categoryId"; readonly category: Named | null }
  | { readonly field: "payeeId"; readonly payee: Named | null }
  | { readonly field: "notes"; readonly notes: string | null }
  | { readonly field: "tagIds"; readonly tags: readonly Named[] }
  | { readonly field: "reviewed"; readonly reviewed: boolean };

function inputOf(id: string, edit: Edit): UpdateTransactionInput {
  switch (edit.field) {
    case "categoryId":
      return { id, categoryId: edit.category?.id ?? null };
    case "payeeId":
      return { id, payeeId: edit.payee?.id ?? null };
    case "notes":
      return { id, notes: edit.notes };
    case "tagIds":
      return { id, tagIds: edit.tags.map((tag) => tag.id) };
    case "reviewed":
      return { id, reviewed: edit.reviewed };
  }
}

function named(store: RecordSourceSelectorProxy, type: string, value: Named) {
  const record = store.get(value.id) ?? store.create(value.id, type);
  record.setValue(value.id, "id");
  record.setValue(value.name, "name");
  return record;
}

/** The edit as the row shows it at once; Relay undoes it if the server refuses. */
export function applyEdit(store: RecordSourceSelectorProxy, id: string, edit: Edit): void {
  const transaction = store.get(id);
  if (!transaction) return;
  switch (edit.field) {
    case "categoryId":
      if (edit.category) transaction.setLinkedRecord(named(store, "Category", edit.category), "category");
      else transaction.setValue(null, "category");
      return;
    case "payeeId":
      if (edit.payee) transaction.setLinkedRecord(named(store, "Payee", edit.payee), "payee");
      else transaction.setValue(null, "payee");
      return;
    case "notes":
      transaction.setValue(edit.notes, "notes");
      return;
    case "tagIds":
      transaction.setLinkedRecords(
        edit.tags.map((tag) => named(store, "Tag", tag)),
        "tags",
      );
      return;
    case "reviewed":
      transaction.setValue(edit.reviewed, "reviewed");
      return;
  }
}

/** What the server said about a field, without the field's name (it is shown beside it). */
function messageFor(error: unknown, field: EditedField): string {
  if (!(error instanceof ApiError)) return errorMessage(error);
  return error.errors
    .map((item) => {
      const prefix = `${item.extensions?.field ?? `input.${field}`}: `;
      const text = item.message.startsWith(prefix) ? item.message.slice(prefix.length) : item.message;
      return text.charAt(0).toUpperCase() + text.slice(1);
    })
    .join(" ");
}

/**
 * Edit one transaction field by field: each change shows at once (optimistic) and is undone, with
 * the server's reason beside that field, if refused.
 */
export function useEditTransaction(id: string) {
  const [commit] = useMutation<useEditTransactionMutation>(mutation);
  const [errors, setErrors] = useState<Partial<Record<EditedField, string>>>({});
  const clear = useCallback((field: EditedField) => setErrors(({ [field]: _, ...rest }) => rest), []);
  const edit = useCallback(
    (change: Edit) => {
      clear(change.field);
      commit({
        variables: { input: inputOf(id, change) },
        optimisticUpdater: (store) => applyEdit(store, id, change),
        onError: (error) => setErrors((all) => ({ ...all, [change.field]: messageFor(error, change.field) })),
      });
    },
    [clear, commit, id],
  );
  const setError = useCallback(
    (field: EditedField, message: string | null) =>
      message === null ? clear(field) : setErrors((all) => ({ ...all, [field]: message })),
    [clear],
  );
  return { edit, errors, setError };
}
