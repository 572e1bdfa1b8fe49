import { describe } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { storageContract } from "./storage.contract";

describe("SqliteStorage", () => storageContract(freshSqliteStorage));
