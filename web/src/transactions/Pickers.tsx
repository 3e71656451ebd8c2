import { createContext, type ReactNode, useContext, useMemo } from "react";
import { graphql, useFragment } from "react-relay";
import type { TransactionPickers_query$key } from "../__generated__/TransactionPickers_query.graphql";

const fragment = graphql`
  fragment TransactionPickers_query on Query {
    accounts {
      id
      name
      currency
    }
    categories {
      id
      name
      group
    }
    tags {
      id
      name
    }
  }
`;

export interface Named {
  readonly id: string;
  readonly name: string;
}

export interface Pickers {
  readonly accounts: readonly (Named & { readonly currency: string })[];
  readonly categories: readonly (Named & { readonly group: string })[];
  /** The categories under their groups, in the user's order. */
  readonly groups: readonly { readonly name: string; readonly categories: readonly Named[] }[];
  readonly tags: readonly Named[];
}

const PickersContext = createContext<Pickers | null>(null);

/** What the page's pickers offer (accounts, categories, tags), loaded once for every row. */
export function PickersProvider({ query, children }: { query: TransactionPickers_query$key; children: ReactNode }) {
  const data = useFragment(fragment, query);
  const value = useMemo<Pickers>(() => {
    const groups: { name: string; categories: Named[] }[] = [];
    for (const category of data.categories) {
      const last = groups.at(-1);
      if (last && last.name === category.group) last.categories.push(category);
      else groups.push({ name: category.group, categories: [category] });
    }
    return { accounts: data.accounts, categories: data.categories, groups, tags: data.tags };
  }, [data]);
  return <PickersContext.Provider value={value}>{children}</PickersContext.Provider>;
}

export function usePickers(): Pickers {
  const pickers = useContext(PickersContext);
  if (!pickers) throw new Error("usePickers needs a PickersProvider above it");
  return pickers;
}

/**
 * The options of a category select, under their groups. A current category the pickers leave out
 * (a hidden one) is offered too, so the select shows what the transaction has.
 */
export function CategoryOptions({ current }: { current?: Named | null | undefined }) {
  const { groups, categories } = usePickers();
  const missing = current && !categories.some((category) => category.id === current.id) ? current : null;
  return (
    <>
      {missing && <option value={missing.id}>{missing.name}</option>}
      {groups.map((group) => (
        <optgroup key={group.name} label={group.name}>
          {group.categories.map((category) => (
            <option key={category.id} value={category.id}>
              {category.name}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}
