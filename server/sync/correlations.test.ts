import { describe } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { correlationStoreContract } from "./correlations.contract";

// The correlation store on SQLite, as an instance builds it: its writes share group commits.
describe("CorrelationStore on SQLite", () => {
  correlationStoreContract(freshSqliteStorage);
});
