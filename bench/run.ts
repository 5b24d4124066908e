// Runs every bench/*.bench.ts (each default-exports an async function returning named
// figures) and prints one JSON object with all of them.
import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(dir)).filter((f) => f.endsWith(".bench.ts")).sort();
const results: Record<string, number | string | boolean> = {};
for (const file of files) {
  if (only.length && !only.some((o) => file.startsWith(o))) continue;
  const mod = (await import(new URL(file, import.meta.url).href)) as { default: () => Promise<Record<string, number | string | boolean>> };
  Object.assign(results, await mod.default());
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
