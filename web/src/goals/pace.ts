/** How a goal stands, in words: its pace against its target date, and what funds it. */

export type GoalPaceValue = "ON_TRACK" | "BEHIND" | "NO_TARGET_DATE" | "REACHED" | "PAUSED" | "%future added value";
export type GoalFundingValue = "CONTRIBUTIONS" | "ACCOUNT" | "CATEGORY" | "%future added value";

/** A short badge, and its tone (the tone is never the only signal: the text says it). */
export function paceBadge(pace: GoalPaceValue): { label: string; tone: "good" | "bad" | "quiet" | "done" } {
  switch (pace) {
    case "ON_TRACK":
      return { label: "On track", tone: "good" };
    case "BEHIND":
      return { label: "Behind", tone: "bad" };
    case "REACHED":
      return { label: "Reached", tone: "done" };
    case "PAUSED":
      return { label: "Paused", tone: "quiet" };
    default:
      return { label: "No target date", tone: "quiet" };
  }
}

export function fundingText(
  funding: GoalFundingValue,
  account: { readonly name: string } | null | undefined,
  category: { readonly name: string } | null | undefined,
): string {
  switch (funding) {
    case "ACCOUNT":
      return account ? `Linked to the account “${account.name}”: its balance counts.` : "Linked to an account.";
    case "CATEGORY":
      return category
        ? `Funded by the budget category “${category.name}”: what is budgeted and left in it counts.`
        : "Funded by a budget category that no longer exists: choose another.";
    default:
      return "Funded by the contributions you record.";
  }
}
