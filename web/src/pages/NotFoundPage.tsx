import { Link } from "react-router";
import { Page } from "../components/Page";

export default function NotFoundPage() {
  return (
    <Page title="Page not found">
      <div className="card">
        <p>There is no page at this address.</p>
        <Link to="/">Go to the dashboard</Link>
      </div>
    </Page>
  );
}
