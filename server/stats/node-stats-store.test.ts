import { describe } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { nodeStatsContract } from "./node-stats.contract";

describe("node stats aggregate on SQLite", () => {
  nodeStatsContract(freshSqliteStorage);
});
