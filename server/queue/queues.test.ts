import { describe } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { queuesContract } from "./queues.contract";

describe("the queues' state machines on SQLite", () => {
  queuesContract(freshSqliteStorage);
});
