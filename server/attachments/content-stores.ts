import type { Storage } from "../storage";
import { type ContentStore, FileContentStore } from "./content-store";
import { DatabaseContentStore } from "./database-content-store";

/**
 * The content store of an instance (issue 13): in the database when it is PostgreSQL, so that
 * every process of the instance reads the same bytes; files in the data folder otherwise (SQLite:
 * one process, and exactly the files and speed of before).
 */
export function contentStoreFor(storage: Storage, attachmentsDir: string): ContentStore {
  return storage.dialect === "postgres"
    ? new DatabaseContentStore(storage)
    : new FileContentStore(attachmentsDir);
}
