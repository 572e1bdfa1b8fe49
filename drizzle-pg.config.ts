import { defineConfig } from "drizzle-kit";

// The PostgreSQL migrations (issue 13), from the schema derived from the SQLite one.
export default defineConfig({
  dialect: "postgresql",
  schema: "./server/db/schema-pg/index.ts",
  out: "./drizzle/pg",
});
