// Reads vitest's JSON report, prints the closing "N passed, N failed" line, and fails the
// run when a test was skipped or none ran (CI runs as root with every tool installed, so
// nothing should skip there).
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync(process.argv[2], "utf8"));
const all = report.testResults.flatMap((f) => f.assertionResults.map((t) => ({ file: f.name, ...t })));
const count = (s) => all.filter((t) => t.status === s).length;
const passed = count("passed");
const failed = count("failed") + report.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
const skipped = all.filter((t) => t.status === "skipped" || t.status === "pending" || t.status === "todo");
for (const t of skipped) console.log(`skipped: ${t.file}: ${t.fullName}`);
const ok = failed === 0 && skipped.length === 0 && passed > 0;
if (skipped.length) console.log(`${skipped.length} test(s) skipped; CI requires every suite to run`);
console.log(`${passed} passed, ${failed + skipped.length} failed`);
process.exit(ok ? 0 : 1);
