import { describe } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { flowStoreContract } from "./flow-store.contract";

// Flows and their read models on SQLite, as an instance builds it (writes share group commits).
describe("FlowStore and flow queries on SQLite", () => {
  flowStoreContract(freshSqliteStorage);
});
