import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { graphql, useFragment, useMutation } from "react-relay";
import type { TransactionDetails_transaction$key } from "../__generated__/TransactionDetails_transaction.graphql";
import type { TransactionDetailsCreateTagMutation } from "../__generated__/TransactionDetailsCreateTagMutation.graphql";
import { formErrors } from "../api/errors";
import { PayeePicker } from "./PayeePicker";
import { type Named, usePickers } from "./Pickers";
import { SplitEditor } from "./SplitEditor";
import type { Edit, EditedField } from "./useEditTransaction";

const fragment = graphql`
  fragment TransactionDetails_transaction on Transaction {
    id
    description
    notes
    payee {
      id
      name
    }
    tags {
      id
      name
    }
    transfer {
      __typename
    }
    ...SplitEditor_transaction
  }
`;

const createTag = graphql`
  mutation TransactionDetailsCreateTagMutation($input: CreateTagInput!) {
    createTag(input: $input) {
      tag {
        id
        name
      }
    }
  }
`;

type Errors = Partial<Record<EditedField, string>>;

/** A transaction's payee, notes, tags and parts, each saved as it changes. */
export function TransactionDetails({
  transaction,
  edit,
  errors,
  setError,
}: {
  transaction: TransactionDetails_transaction$key;
  edit: (change: Edit) => void;
  errors: Errors;
  setError: (field: EditedField, message: string | null) => void;
}) {
  const data = useFragment(fragment, transaction);
  return (
    <div className="tx-details-grid">
      <PayeePicker
        label="Payee"
        value={data.payee ?? null}
        onPick={(payee) => edit({ field: "payeeId", payee })}
        error={errors.payeeId}
        onError={(message) => setError("payeeId", message)}
      />
      <NotesField notes={data.notes ?? null} error={errors.notes} onSave={(notes) => edit({ field: "notes", notes })} />
      <TagsField tags={data.tags} error={errors.tagIds} onChange={(tags) => edit({ field: "tagIds", tags })} />
      {data.transfer ? (
        <p className="muted tx-split-note">Half of a transfer: unlink it to split it.</p>
      ) : (
        <SplitEditor transaction={data} />
      )}
    </div>
  );
}

function NotesField({ notes, error, onSave }: { notes: string | null; error?: string | undefined; onSave: (notes: string | null) => void }) {
  const id = useId();
  const [text, setText] = useState(notes ?? "");
  const sent = useRef<string | null>(null);
  useEffect(() => setText(notes ?? ""), [notes]);
  // Refused: Relay put the old notes back; the box shows what was typed, beside the reason.
  useEffect(() => {
    if (error) setText(sent.current ?? "");
  }, [error]);
  function save() {
    const next = text.trim() === "" ? null : text;
    if (next === notes) return;
    sent.current = next;
    onSave(next);
  }
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>Notes</label>
      <input
        id={id}
        type="text"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onBlur={save}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            save();
          }
        }}
        {...(error ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {})}
      />
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

function TagsField({ tags, error, onChange }: { tags: readonly Named[]; error?: string | undefined; onChange: (tags: Named[]) => void }) {
  const { tags: all } = usePickers();
  const id = useId();
  const [commit, creating] = useMutation<TransactionDetailsCreateTagMutation>(createTag);
  const [name, setName] = useState("");
  const [createError, setCreateError] = useState<string | null>(null);
  const carried = new Set(tags.map((tag) => tag.id));
  // Tags the pickers do not list yet (just made elsewhere) still show as carried.
  const shown = [...all, ...tags.filter((tag) => !all.some((known) => known.id === tag.id))];

  function toggle(tag: Named, on: boolean) {
    onChange(on ? [...tags, tag] : tags.filter((item) => item.id !== tag.id));
  }

  function create(event: FormEvent) {
    event.preventDefault();
    setCreateError(null);
    commit({
      variables: { input: { name: name.trim() } },
      // The page's pickers list it from now on.
      updater: (store) => {
        const made = store.getRootField("createTag").getLinkedRecord("tag");
        const root = store.getRoot();
        root.setLinkedRecords([...(root.getLinkedRecords("tags") ?? []), made], "tags");
      },
      onCompleted: ({ createTag: { tag } }) => {
        setName("");
        onChange([...tags, tag]);
      },
      onError: (failure) => {
        const { fields, general } = formErrors(failure, ["name"]);
        setCreateError(fields.name ?? general.join(" "));
      },
    });
  }

  return (
    <fieldset className={error ? "tx-tags field-invalid" : "tx-tags"} {...(error ? { "aria-describedby": `${id}-error` } : {})}>
      <legend>Tags</legend>
      {shown.length === 0 ? (
        <p className="muted">No tags yet: make one below.</p>
      ) : (
        <ul className="tag-choices">
          {shown.map((tag) => (
            <li key={tag.id}>
              <label className="tag-choice">
                <input type="checkbox" checked={carried.has(tag.id)} onChange={(event) => toggle(tag, event.target.checked)} />
                {tag.name}
              </label>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <form className="tag-new" onSubmit={create}>
        <label htmlFor={`${id}-new`}>New tag</label>
        <input
          id={`${id}-new`}
          type="text"
          value={name}
          maxLength={50}
          onChange={(event) => setName(event.target.value)}
          {...(createError ? { "aria-invalid": true, "aria-describedby": `${id}-new-error` } : {})}
        />
        <button type="submit" className="button button-small" disabled={creating || name.trim() === ""}>
          Create tag
        </button>
        {createError && (
          <p className="field-error" id={`${id}-new-error`}>
            {createError}
          </p>
        )}
      </form>
    </fieldset>
  );
}
