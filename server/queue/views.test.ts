import { describe } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { queueViewsContract } from "./views.contract";

describe("queue views on SQLite", () => {
  queueViewsContract(freshSqliteStorage);
});
