// Loading the ruleset: one `nft -f -` transaction, then a 0600 boot copy that a plain
// `nft -f FILE` (init script, no Node) can load before the network comes up.
import { rename, writeFile } from "node:fs/promises";
import { NFT_FAMILY, NFT_TABLE } from "../../render/nft.ts";
import type { Command } from "./exec.ts";

export function loadCommand(ruleset: string): Command {
  return { argv: ["nft", "-f", "-"], stdin: ruleset };
}

export function listCommand(): Command {
  return { argv: ["nft", "list", "table", NFT_FAMILY, NFT_TABLE] };
}

/** The tag the renderer put in the table comment, from a ruleset text or an `nft list` listing. */
export function tableTag(text: string): string | null {
  return /comment "enigm-vpn ([0-9a-f]{8})"/.exec(text)?.[1] ?? null;
}

/** An `nft list table` listing without its counters: what is loaded, comparable with what we loaded. */
export function normalizeListing(text: string): string {
  return text.replace(/\bcounter packets \d+ bytes \d+/g, "counter").trim();
}

/** Write-temp-then-rename, mode 0600 from the first byte. */
export async function saveBootRuleset(path: string, ruleset: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, ruleset, { mode: 0o600 });
  await rename(tmp, path);
}
