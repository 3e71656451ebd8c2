/**
 * Replaces each graphql`...` literal with the artifact relay-compiler generated for it, as
 * babel-plugin-relay does: @vitejs/plugin-react 6 compiles with Oxc, not Babel, and a small
 * transform keeps Babel out of the build. relay-compiler runs before Vite (`npm run build`,
 * `npm test`) and fails on any document that does not match the schema.
 */
import path from "node:path";
import type { Plugin } from "vite";

const TAGGED_DOCUMENT = /\bgraphql`([^`]*)`/g;
const DEFINITION_NAME = /\b(?:query|mutation|subscription|fragment)\s+([A-Za-z_][A-Za-z0-9_]*)/;

export function relayArtifacts(artifactDirectory: string): Plugin {
  return {
    name: "tally-relay-artifacts",
    enforce: "pre",
    transform(code, id) {
      const file = id.split("?")[0] ?? id;
      if (!/\.tsx?$/.test(file) || file.includes("__generated__") || !code.includes("graphql`")) {
        return null;
      }
      const imports = new Map<string, string>();
      const replaced = code.replace(TAGGED_DOCUMENT, (_, document: string) => {
        const name = DEFINITION_NAME.exec(document)?.[1];
        if (!name) {
          throw new Error(`${file}: a graphql literal without a named operation or fragment`);
        }
        const local = `__relay_${name}`;
        let target = path.relative(path.dirname(file), path.join(artifactDirectory, `${name}.graphql.ts`));
        if (!target.startsWith(".")) target = `./${target}`;
        imports.set(local, target.split(path.sep).join("/"));
        return local;
      });
      const header = [...imports].map(([local, target]) => `import ${local} from ${JSON.stringify(target)};`);
      return { code: `${header.join("\n")}\n${replaced}`, map: null };
    },
  };
}
