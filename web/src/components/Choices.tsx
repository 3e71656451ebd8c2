import { useState } from "react";
import { currencyOptions } from "../currencies";
import { Field } from "./Field";

/** One option per category, named with its group ("Food · Groceries"). */
export function CategoryOptions({
  categories,
}: {
  categories: readonly { readonly id: string; readonly name: string; readonly group: string }[];
}) {
  return categories.map((category) => (
    <option key={category.id} value={category.id}>
      {category.group} · {category.name}
    </option>
  ));
}

/** A form's currency choice: every currency by code and name ("EUR · Euro"), listed once per mount. */
export function CurrencyField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (code: string) => void;
  error: string | undefined;
}) {
  const [currencies] = useState(() => currencyOptions());
  return (
    <Field label="Currency" error={error}>
      {(props) => (
        <select {...props} value={value} onChange={(e) => onChange(e.target.value)}>
          {currencies.map(({ code, name }) => (
            <option key={code} value={code}>
              {code} · {name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
