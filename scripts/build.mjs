// Builds the self-contained daemon and CLI bundles and the web assets into dist/.
import { build } from "esbuild";
import { cp, mkdir, rm } from "node:fs/promises";

const node = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  legalComments: "none",
  banner: { js: "#!/usr/bin/env node" },
};

await rm("dist", { recursive: true, force: true });
await build({ ...node, entryPoints: { "enigm-vpnd": "src/main.ts", "enigm-vpn": "src/cli/main.ts" }, outdir: "dist", outExtension: { ".js": ".mjs" } });
await mkdir("dist/web", { recursive: true });
await build({
  bundle: true,
  platform: "browser",
  format: "esm",
  target: ["es2022", "chrome110", "safari16", "firefox115"],
  minify: true,
  legalComments: "none",
  entryPoints: { app: "src/web/app.ts" },
  outdir: "dist/web",
  // The QR decoder is big and rarely used: it is split off and loaded on demand.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
});
await cp("src/web/static", "dist/web", { recursive: true });
