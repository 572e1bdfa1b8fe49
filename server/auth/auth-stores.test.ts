import { describe } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { authStoresContract } from "./auth-stores.contract";

// The auth stores on SQLite, as an instance builds them: their writes share group commits.
describe("auth stores on SQLite", () => {
  authStoresContract(freshSqliteStorage);
});
