// Serves the built UI from a directory, read once at start (it is small and never changes
// while the daemon runs); unknown paths get null, so nothing outside the directory is reachable.
import { readdir, readFile } from "node:fs/promises";
import { extname, join, relative } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
};

export async function loadStaticFiles(root: string): Promise<(path: string) => Promise<{ body: Uint8Array; type: string } | null>> {
  const files = new Map<string, { body: Uint8Array; type: string }>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const url = `/${relative(root, full).split("\\").join("/")}`;
    files.set(url, { body: await readFile(full), type: TYPES[extname(full)] ?? "application/octet-stream" });
  }
  return async (path) => files.get(path) ?? null;
}
