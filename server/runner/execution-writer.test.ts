import { describe } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { executionWriterContract } from "./execution-writer.contract";

describe("ExecutionWriter on SQLite", () => executionWriterContract(freshSqliteStorage));
