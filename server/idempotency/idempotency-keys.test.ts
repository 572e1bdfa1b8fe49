import { describe } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { idempotencyKeysContract } from "./idempotency-keys.contract";

describe("IdempotencyKeys on SQLite", () => {
  idempotencyKeysContract(freshSqliteStorage);
});
