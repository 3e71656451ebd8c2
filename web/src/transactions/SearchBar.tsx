import Big from "big.js";
import { useEffect, useId, useRef, useState } from "react";
import { readAmount } from "../money/amounts";
import { formatDate } from "../dates";
import { PayeePicker } from "./PayeePicker";
import { CategoryOptions, type Named, usePickers } from "./Pickers";
import { type Choice, conditionCount, EMPTY_SEARCH, MAX_SEARCH_TEXT, type TransactionSearch } from "./search";

const TYPING_PAUSE_MS = 300;
const UNCATEGORIZED = "uncategorized";
const CATEGORIZED = "categorized";

export type SearchChange = (next: TransactionSearch, options?: { typing?: boolean }) => void;

/**
 * The filter language as controls: a search box for text, and conditions (account, category, tag,
 * payee, amount range, dates, direction, pending, reviewed) behind "Filters", each shown as a
 * removable chip while it holds. Every change goes to the address, which the list follows.
 */
export function SearchBar({
  search,
  onChange,
  payee,
}: {
  search: TransactionSearch;
  onChange: SearchChange;
  /** The payee the search names, as the API knows it (its name for the chip). */
  payee: Named | null;
}) {
  const id = useId();
  const conditions = conditionCount(search);
  const [open, setOpen] = useState(conditions > 0);
  return (
    <div className="search-bar">
      <div className="search-row" role="search" aria-label="Transactions">
        <SearchText text={search.text} onText={(text) => onChange({ ...search, text }, { typing: true })} />
        <button
          type="button"
          className="button"
          aria-expanded={open}
          aria-controls={`${id}-filters`}
          onClick={() => setOpen((was) => !was)}
        >
          Filters{conditions > 0 ? ` (${conditions})` : ""}
        </button>
      </div>
      <div id={`${id}-filters`} className="filter-panel" hidden={!open}>
        <FilterControls search={search} onChange={onChange} payee={payee} />
      </div>
      <ActiveFilters search={search} onChange={onChange} payee={payee} />
    </div>
  );
}

/** The search box: the address follows once typing pauses, and a back button shows in it. */
function SearchText({ text, onText }: { text: string; onText: (text: string) => void }) {
  const id = useId();
  const [value, setValue] = useState(text);
  const sent = useRef(text);
  useEffect(() => {
    if (text !== sent.current) setValue(text);
    sent.current = text;
  }, [text]);
  useEffect(() => {
    if (value === sent.current) return undefined;
    const timer = setTimeout(() => {
      sent.current = value;
      onText(value);
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [value, onText]);
  return (
    <div className="search-text">
      <label htmlFor={id} className="visually-hidden">
        Search transactions
      </label>
      <input
        id={id}
        type="search"
        value={value}
        maxLength={MAX_SEARCH_TEXT}
        placeholder="Search descriptions, notes, payees"
        onChange={(event) => setValue(event.target.value)}
      />
    </div>
  );
}

function choiceValue(value: string): Choice | null {
  return value === "yes" || value === "no" ? value : null;
}

function FilterControls({ search, onChange, payee }: { search: TransactionSearch; onChange: SearchChange; payee: Named | null }) {
  const { accounts, tags } = usePickers();
  const [payeeError, setPayeeError] = useState<string | null>(null);
  const set = (change: Partial<TransactionSearch>) => onChange({ ...search, ...change });
  const categoryValue = search.uncategorized === "yes" ? UNCATEGORIZED : search.uncategorized === "no" ? CATEGORIZED : (search.categoryId ?? "");

  function pickCategory(value: string) {
    if (value === UNCATEGORIZED) set({ categoryId: null, uncategorized: "yes" });
    else if (value === CATEGORIZED) set({ categoryId: null, uncategorized: "no" });
    else set({ categoryId: value || null, uncategorized: null });
  }

  return (
    <div className="filter-grid">
      <SelectFilter label="Account" value={search.accountId ?? ""} onChange={(value) => set({ accountId: value || null })}>
        <option value="">Any account</option>
        {accounts.map((account) => (
          <option key={account.id} value={account.id}>
            {account.name}
          </option>
        ))}
      </SelectFilter>
      <SelectFilter label="Category" value={categoryValue} onChange={pickCategory}>
        <option value="">Any category</option>
        <option value={UNCATEGORIZED}>Uncategorized only</option>
        <option value={CATEGORIZED}>Categorized only</option>
        <CategoryOptions />
      </SelectFilter>
      <SelectFilter label="Tag" value={search.tagId ?? ""} onChange={(value) => set({ tagId: value || null })}>
        <option value="">Any tag</option>
        {tags.map((tag) => (
          <option key={tag.id} value={tag.id}>
            {tag.name}
          </option>
        ))}
      </SelectFilter>
      <PayeePicker
        label="Payee"
        value={payee}
        placeholder="Any payee"
        onPick={(picked) => set({ payeeId: picked?.id ?? null })}
        error={payeeError}
        onError={setPayeeError}
      />
      <AmountRange search={search} onChange={onChange} />
      <DateFilter label="From" value={search.from} onChange={(from) => set({ from })} />
      <DateFilter label="To" value={search.to} onChange={(to) => set({ to })} />
      <SelectFilter label="Direction" value={search.direction ?? ""} onChange={(value) => set({ direction: value === "in" || value === "out" ? value : null })}>
        <option value="">In and out</option>
        <option value="out">Money out</option>
        <option value="in">Money in</option>
      </SelectFilter>
      <SelectFilter label="Pending" value={search.pending ?? ""} onChange={(value) => set({ pending: choiceValue(value) })}>
        <option value="">Pending and settled</option>
        <option value="yes">Pending only</option>
        <option value="no">Settled only</option>
      </SelectFilter>
      <SelectFilter label="Reviewed" value={search.reviewed ?? ""} onChange={(value) => set({ reviewed: choiceValue(value) })}>
        <option value="">Reviewed or not</option>
        <option value="no">Not reviewed yet</option>
        <option value="yes">Reviewed</option>
      </SelectFilter>
    </div>
  );
}

function SelectFilter({ label, value, onChange, children }: { label: string; value: string; onChange: (value: string) => void; children: React.ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {children}
      </select>
    </div>
  );
}

function DateFilter({ label, value, onChange }: { label: string; value: string | null; onChange: (value: string | null) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="date" value={value ?? ""} onChange={(event) => onChange(event.target.value || null)} />
    </div>
  );
}

/** Sizes, whatever the sign: "at least 10" finds -12.50 too. Applied on Enter or on leaving. */
function AmountRange({ search, onChange }: { search: TransactionSearch; onChange: SearchChange }) {
  const id = useId();
  const [min, setMin] = useState(search.minAmount ?? "");
  const [max, setMax] = useState(search.maxAmount ?? "");
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setMin(search.minAmount ?? ""), [search.minAmount]);
  useEffect(() => setMax(search.maxAmount ?? ""), [search.maxAmount]);

  function apply() {
    // A bound holds for every currency, so it has no fixed number of decimals.
    const read = (text: string) => (text.trim() === "" ? { amount: null } : readAmount(text, null, { allowZero: true }));
    const low = read(min);
    const high = read(max);
    if ("error" in low || "error" in high) return setError(("error" in low ? low.error : "") || ("error" in high ? high.error : ""));
    if (low.amount && high.amount && new Big(low.amount).gt(high.amount)) return setError("“At least” must not be more than “at most”.");
    setError(null);
    if (low.amount !== search.minAmount || high.amount !== search.maxAmount) onChange({ ...search, minAmount: low.amount, maxAmount: high.amount });
  }

  const inputProps = (value: string, setValue: (value: string) => void) => ({
    inputMode: "decimal" as const,
    value,
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => setValue(event.target.value),
    onBlur: apply,
    onKeyDown: (event: React.KeyboardEvent<HTMLInputElement>) => {
      if (event.key === "Enter") apply();
    },
    ...(error ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {}),
  });

  return (
    <fieldset className={error ? "amount-range field-invalid" : "amount-range"}>
      <legend>Amount, either way</legend>
      <div className="amount-range-inputs">
        <div className="field">
          <label htmlFor={`${id}-min`}>At least</label>
          <input id={`${id}-min`} {...inputProps(min, setMin)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-max`}>At most</label>
          <input id={`${id}-max`} {...inputProps(max, setMax)} />
        </div>
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** What the search holds besides its text, each with a button taking it off. */
function ActiveFilters({ search, onChange, payee }: { search: TransactionSearch; onChange: SearchChange; payee: Named | null }) {
  const { accounts, categories, tags } = usePickers();
  const name = (list: readonly Named[], value: string | null) => list.find((item) => item.id === value)?.name ?? "an unknown one";
  const chips: { label: string; without: Partial<TransactionSearch> }[] = [];
  if (search.accountId) chips.push({ label: `Account: ${name(accounts, search.accountId)}`, without: { accountId: null } });
  if (search.categoryId) chips.push({ label: `Category: ${name(categories, search.categoryId)}`, without: { categoryId: null } });
  if (search.uncategorized) chips.push({ label: search.uncategorized === "yes" ? "Uncategorized" : "Categorized", without: { uncategorized: null } });
  if (search.tagId) chips.push({ label: `Tag: ${name(tags, search.tagId)}`, without: { tagId: null } });
  if (search.payeeId) chips.push({ label: `Payee: ${payee?.name ?? "an unknown one"}`, without: { payeeId: null } });
  if (search.minAmount) chips.push({ label: `At least ${search.minAmount}`, without: { minAmount: null } });
  if (search.maxAmount) chips.push({ label: `At most ${search.maxAmount}`, without: { maxAmount: null } });
  if (search.from) chips.push({ label: `From ${formatDate(search.from)}`, without: { from: null } });
  if (search.to) chips.push({ label: `To ${formatDate(search.to)}`, without: { to: null } });
  if (search.direction) chips.push({ label: search.direction === "in" ? "Money in" : "Money out", without: { direction: null } });
  if (search.pending) chips.push({ label: search.pending === "yes" ? "Pending" : "Settled", without: { pending: null } });
  if (search.reviewed) chips.push({ label: search.reviewed === "yes" ? "Reviewed" : "Not reviewed", without: { reviewed: null } });
  if (chips.length === 0) return null;
  return (
    <div className="filter-chips">
      <ul aria-label="Filters in use">
        {chips.map((chip) => (
          <li key={chip.label} className="filter-chip">
            {chip.label}
            <button type="button" className="chip-remove" aria-label={`Remove filter ${chip.label}`} onClick={() => onChange({ ...search, ...chip.without })}>
              <span aria-hidden="true">×</span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="button button-small" onClick={() => onChange({ ...EMPTY_SEARCH, text: search.text })}>
        Clear filters
      </button>
    </div>
  );
}
