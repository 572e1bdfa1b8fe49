import { describe } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { emailOutboxContract } from "./email-outbox.contract";

describe("email outbox on SQLite", () => {
  emailOutboxContract(freshSqliteStorage);
});
