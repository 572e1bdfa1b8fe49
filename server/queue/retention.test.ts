import { describe } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { retentionContract } from "./retention.contract";

describe("purgeFinishedRows on SQLite", () => {
  retentionContract(freshSqliteStorage);
});
