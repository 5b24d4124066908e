// The baseline for cold start and memory: a plain node:http server answering the same paths,
// /api/v1/status with the body of the file given (the daemon's own status answer, so both
// send the same bytes). Started exactly like the daemon, in the same bench run.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const [host, port] = process.argv[2].split(":");
const status = process.argv[3] ? readFileSync(process.argv[3]) : Buffer.from("{}");
createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(req.url === "/api/v1/health" ? '{"ok":true}' : status);
}).listen(Number(port), host);
