import { afterEach, describe } from "vitest";
import { openDatabase } from "../db/client";
import { GroupCommit } from "../db/group-commit";
import { SqliteStorage } from "../storage/sqlite";
import { invitationStoreContract } from "./invitations.contract";

// The invitation store on SQLite, as an instance builds it: its writes share group commits.
const open: SqliteStorage[] = [];
afterEach(async () => {
  for (const storage of open.splice(0)) await storage.close();
});

describe("InvitationStore on SQLite", () => {
  invitationStoreContract(async () => {
    const db = openDatabase({ file: ":memory:" });
    const storage = new SqliteStorage(db.$client, { group: new GroupCommit(db.$client) });
    open.push(storage);
    return storage;
  });
});
