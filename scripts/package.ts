// npm run package: dist/ + files/ -> enigm-vpn_<version>_all.ipk in the project root.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { buildIpk } from "./ipk/build-ipk.ts";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
// The commit time makes the package reproducible: the same commit gives the same bytes.
const mtime = Number(process.env.SOURCE_DATE_EPOCH ?? execFileSync("git", ["log", "-1", "--format=%ct"], { encoding: "utf8" }).trim());
const ipk = await buildIpk({ root: ".", version, mtime });
writeFileSync(ipk.name, ipk.data);
process.stdout.write(`${ipk.name} (${ipk.data.length} bytes)\n`);
