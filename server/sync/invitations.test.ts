import { describe } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { invitationStoreContract } from "./invitations.contract";

// The invitation store on SQLite, as an instance builds it: its writes share group commits.
describe("InvitationStore on SQLite", () => {
  invitationStoreContract(freshSqliteStorage);
});
