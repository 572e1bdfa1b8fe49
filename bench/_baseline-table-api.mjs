// The Table API bench's bare baseline: node:http and one prepared better-sqlite3 insert into a
// file DB (WAL, synchronous=NORMAL, like an instance), answering 201 with the new id after the
// insert. No auth, no framework, no capture: what Tandem's create path is measured against.
import { randomUUID } from "node:crypto";
import http from "node:http";
import Database from "better-sqlite3";

const [file, portArg] = process.argv.slice(2);
const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec(
  "CREATE TABLE IF NOT EXISTS incident (sys_id TEXT PRIMARY KEY, short_description TEXT, assignment_group TEXT, description TEXT, created_at INTEGER NOT NULL)",
);
const insert = db.prepare(
  "INSERT INTO incident (sys_id, short_description, assignment_group, description, created_at) VALUES (?, ?, ?, ?, ?)",
);
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () => {
    const record = JSON.parse(body);
    const sysId = randomUUID().replaceAll("-", "");
    insert.run(sysId, record.short_description, record.assignment_group, record.description, Date.now());
    res.writeHead(201, { "content-type": "application/json" });
    res.end(JSON.stringify({ result: { sys_id: sysId } }));
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(portArg), "127.0.0.1", () => process.send?.("ready"));
process.on("message", (m) => {
  if (m === "stop") server.close(() => process.exit(0));
});
