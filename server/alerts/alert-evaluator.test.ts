import { describe } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { alertEvaluatorContract } from "./alert-evaluator.contract";

describe("AlertEvaluator on SQLite", () => {
  alertEvaluatorContract(freshSqliteStorage);
});
