// The batched baseline's receiving side (issue 14): a bare HTTP server that takes a batch of
// messages, and in ONE transaction inserts each into an inbound table (dedup by message id) and
// upserts its record, then answers. No auth, no flow: the batched hop Tandem is measured against.
import http from "node:http";
import Database from "better-sqlite3";

const [file, portArg] = process.argv.slice(2);
const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec(`CREATE TABLE IF NOT EXISTS inbound (id TEXT PRIMARY KEY, payload TEXT NOT NULL, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS record (id TEXT PRIMARY KEY, data TEXT NOT NULL, at INTEGER NOT NULL)`);
const inbound = db.prepare("INSERT OR IGNORE INTO inbound (id, payload, at) VALUES (?, ?, ?)");
const upsert = db.prepare(
  "INSERT INTO record (id, data, at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data, at = excluded.at",
);
const accept = db.transaction((messages) => {
  const at = Date.now();
  for (const m of messages) {
    const payload = JSON.stringify(m.payload);
    if (inbound.run(m.id, payload, at).changes === 1) upsert.run(m.recordId, payload, at);
  }
});
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () => {
    const { messages } = JSON.parse(body);
    accept(messages);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ results: messages.map((m) => ({ id: m.id, status: "accepted" })) }));
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(portArg), "127.0.0.1", () => process.send?.("ready"));
process.on("message", (m) => {
  if (m === "stop") server.close(() => process.exit(0));
});
