import { describe } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { queueGaugesContract } from "./queue-gauges.contract";

describe("queue gauges on SQLite", () => {
  queueGaugesContract(freshSqliteStorage);
});
