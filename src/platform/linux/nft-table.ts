// Our nftables table as the kernel holds it: loaded in one transaction, copied for boot, and
// compared with what was loaded so a deleted table or a flushed chain is noticed.
import { check, type Runner } from "./exec.ts";
import { listCommand, loadCommand, normalizeListing, saveBootRuleset } from "./nft.ts";

export class NftTable {
  private listing: string | null = null;

  constructor(private readonly runner: Runner) {}

  /** Loads the ruleset, then writes each copy (0600): the boot file, and on OpenWrt the fw4 include. */
  async load(ruleset: string, copies: string[]): Promise<void> {
    await check(this.runner, loadCommand(ruleset));
    this.listing = normalizeListing(await check(this.runner, listCommand()));
    for (const path of copies) await saveBootRuleset(path, ruleset);
  }

  async intact(): Promise<boolean> {
    if (this.listing === null) return false;
    const r = await this.runner.run(listCommand());
    return r.code === 0 && normalizeListing(r.stdout) === this.listing;
  }
}
