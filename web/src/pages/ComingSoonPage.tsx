import { Page } from "../components/Page";

/** A page of the navigation that a later increment builds. */
export default function ComingSoonPage({ title }: { title: string }) {
  return (
    <Page title={title}>
      <div className="card">
        <p>{title} are coming to the web app soon. The API already serves them.</p>
      </div>
    </Page>
  );
}
