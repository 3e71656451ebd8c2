/** The GraphQL endpoint's absolute URL, or "" for this page's own origin (see vite.config.ts). */
declare const __TALLY_API_URL__: string;
