// Replays every recorded uci CLI case: each command's stdout, stderr and exit code, the delta
// and config files shown mid-way, and the config/save dirs after the last command.
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseTranscript } from "./transcript.ts";
import { runUci } from "./uci-cli.ts";

const VECTORS = fileURLToPath(new URL("../../../shared/vectors/openwrt/uci/", import.meta.url));
const cases = (await readdir(VECTORS)).sort();
const tmp = await mkdtemp(join(tmpdir(), "uci-vectors-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function filesOf(dir: string): Promise<Record<string, string>> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: Record<string, string> = {};
  for (const n of names.filter((n) => !n.startsWith("."))) out[n] = (await readFile(join(dir, n))).toString("hex");
  return out;
}

it("finds the vector cases", () => {
  expect(cases).toEqual(["anon", "basic", "batch", "comments", "errors", "lists", "quoting"]);
});

describe.each(cases)("uci case %s", (name) => {
  const caseDir = join(VECTORS, name);
  const work = join(tmp, name);
  const config = join(work, "config");
  const save = join(work, "save");

  it("replays the transcript", async () => {
    await cp(join(caseDir, "input"), config, { recursive: true });
    const steps = parseTranscript(await readFile(join(caseDir, "transcript.txt"), "utf8"));
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      if (step.kind === "cat") {
        const got = await readFile(join(work, step.file));
        expect(got.toString("hex"), `$ ${step.line}`).toBe(step.bytes.toString("hex"));
        continue;
      }
      const res = await runUci(["-c", config, "-t", save, ...step.args], step.stdin);
      expect({ stdout: res.stdout, stderr: res.stderr, code: res.code }, `$ ${step.line}`).toEqual({
        stdout: step.stdout,
        stderr: step.stderr,
        code: step.code,
      });
    }
  });

  it("leaves the config and save dirs as recorded", async () => {
    expect(await filesOf(config)).toEqual(await filesOf(join(caseDir, "config")));
    expect(await filesOf(save)).toEqual(await filesOf(join(caseDir, "save")));
  });
});
