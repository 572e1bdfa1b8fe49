export { freshReload } from "./fresh-reload";
export {
  afterCommit,
  all,
  attempt,
  type Dialect,
  dialect,
  done,
  each,
  exclusive,
  get,
  type Plan,
  type Query,
  type RunResult,
  run,
  sql,
} from "./plan";
export { type RidingWrite, transactionWith } from "./riding-write";
export { type Channel, LocalSignals, RESYNC, type Signals } from "./signals";
export { isSync, type Storage, type SyncStorage } from "./storage";
