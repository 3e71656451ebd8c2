import { graphql, useLazyLoadQuery } from "react-relay";
import type { AlertRulesPageQuery } from "../__generated__/AlertRulesPageQuery.graphql";
import "../alerts/alerts.css";
import { AlertRuleForm, type RuleOptions } from "../alerts/AlertRuleForm";
import { AlertRuleItem } from "../alerts/AlertRuleItem";
import type { Names } from "../alerts/kinds";
import { CreatePanel, NewButton, StatusLine, useCreatePanel } from "../components/CreatePanel";
import { Page } from "../components/Page";
import "../components/controls.css";

const query = graphql`
  query AlertRulesPageQuery {
    alertRules {
      id
      ...AlertRuleItem_rule
    }
    categories(includeHidden: true) {
      id
      name
      group
      hidden
    }
    ledgerSettings {
      baseCurrency
    }
    accounts {
      id
      name
    }
    tags {
      id
      name
    }
  }
`;

/** The user's alert rules: what Tally tells them about, each on or off. */
export default function AlertRulesPage() {
  const data = useLazyLoadQuery<AlertRulesPageQuery>(query, {}, { fetchPolicy: "store-and-network" });
  const panel = useCreatePanel();
  const categories = new Map(data.categories.map((category) => [category.id, category.name]));
  const accounts = new Map(data.accounts.map((account) => [account.id, account.name]));
  const tags = new Map(data.tags.map((tag) => [tag.id, tag.name]));
  const names: Names = {
    category: (id) => categories.get(id) ?? "a deleted category",
    account: (id) => accounts.get(id) ?? "a closed account",
    tag: (id) => tags.get(id) ?? "a deleted tag",
  };
  const options: RuleOptions = {
    baseCurrency: data.ledgerSettings.baseCurrency,
    categories: data.categories.filter((category) => !category.hidden),
    accounts: data.accounts,
    tags: data.tags,
  };

  return (
    <Page title="Alert rules" actions={<NewButton panel={panel}>New alert</NewButton>}>
      <p className="muted channels">Every alert is kept in Notifications; each rule also says how else to tell you.</p>
      <StatusLine panel={panel} />
      <CreatePanel panel={panel} className="alert-new" title="New alert" headingId="new-alert-heading">
        <AlertRuleForm options={options} onDone={panel.finish} onCancel={() => panel.finish()} />
      </CreatePanel>
      {data.alertRules.length === 0 ? (
        !panel.open && <p className="empty">No alert rules: Tally tells you nothing. Choose “New alert” to start.</p>
      ) : (
        <ul className="alert-rules">
          {data.alertRules.map((rule) => (
            <AlertRuleItem
              key={rule.id}
              rule={rule}
              options={options}
              names={names}
              onMessage={panel.setMessage}
              onDeleted={panel.announce}
            />
          ))}
        </ul>
      )}
    </Page>
  );
}
