// The baseline's receiving side: a bare HTTP server that inserts each posted record into its
// own SQLite file (WAL, synchronous=NORMAL, like an instance) and answers. No auth, no queue,
// no flow: what the sync path is measured against.
import http from "node:http";
import Database from "better-sqlite3";

const [file, portArg] = process.argv.slice(2);
const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec("CREATE TABLE IF NOT EXISTS record (id TEXT PRIMARY KEY, data TEXT NOT NULL, at INTEGER NOT NULL)");
const insert = db.prepare("INSERT INTO record (id, data, at) VALUES (?, ?, ?)");
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () => {
    const message = JSON.parse(body);
    insert.run(message.id, JSON.stringify(message.payload), Date.now());
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: message.id, status: "accepted", at: Date.now() }));
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(portArg), "127.0.0.1", () => process.send?.("ready"));
process.on("message", (m) => {
  if (m === "stop") server.close(() => process.exit(0));
});
