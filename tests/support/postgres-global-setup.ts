import { postgresGlobalSetup } from "./test-backend";

export default postgresGlobalSetup;
