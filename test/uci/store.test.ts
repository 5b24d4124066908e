import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UciError } from "../../src/uci/errors.ts";
import { parseUci } from "../../src/uci/parse.ts";
import { UciStore } from "../../src/uci/store.ts";

let dir: string;
let store: UciStore;
const cfg = (name: string) => join(dir, "config", name);
const ORIGINAL = "\nconfig main 'main'\n\toption enabled '1'\n\nconfig server\n\toption name 'a'\n\n";

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "uci-store-"));
  await mkdir(join(dir, "config"));
  await writeFile(cfg("enigm-vpn"), ORIGINAL, { mode: 0o600 });
  store = new UciStore({ configDir: join(dir, "config"), saveDir: join(dir, "save"), lockTimeoutMs: 200 });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("UciStore", () => {
  it("stages changes, commits them atomically keeping the file mode, then has nothing to commit", async () => {
    await store.set("enigm-vpn", "main", "enabled", "0");
    const name = await store.add("enigm-vpn", "server");
    expect(name).toBe("cfg03769c");
    await store.set("enigm-vpn", name, "name", "b");
    expect(await readFile(cfg("enigm-vpn"), "utf8")).toBe(ORIGINAL);
    expect(await store.get("enigm-vpn", "@server[-1]", "name")).toBe("b");
    expect(await store.commit("enigm-vpn")).toBe(true);
    expect(await readFile(cfg("enigm-vpn"), "utf8")).toBe(
      "\nconfig main 'main'\n\toption enabled '0'\n\nconfig server\n\toption name 'a'\n\nconfig server\n\toption name 'b'\n\n",
    );
    expect((await stat(cfg("enigm-vpn"))).mode & 0o777).toBe(0o600);
    expect(await store.changes("enigm-vpn")).toEqual([]);
    expect(await store.commit("enigm-vpn")).toBe(false);
    expect((await readdir(join(dir, "config"))).sort()).toEqual(["enigm-vpn"]);
  });

  it("commits through a symlink, replacing its target", async () => {
    await mkdir(join(dir, "real"));
    await writeFile(join(dir, "real", "net"), "\nconfig x 'y'\n\n", { mode: 0o644 });
    await symlink(join(dir, "real", "net"), cfg("net"));
    await store.set("net", "y", "a", "1");
    await store.commit("net");
    expect(await readFile(join(dir, "real", "net"), "utf8")).toBe("\nconfig x 'y'\n\toption a '1'\n\n");
    expect((await stat(join(dir, "real", "net"))).mode & 0o777).toBe(0o644);
  });

  it("keeps values with quotes, newlines and config syntax inside one option", async () => {
    const evil = "x'\n\toption enabled '0'\nconfig main 'pwn'\n\tlist a \"b\" # \\";
    await store.set("enigm-vpn", "main", "note", evil);
    await store.commit("enigm-vpn");
    const back = parseUci(await readFile(cfg("enigm-vpn")), "enigm-vpn");
    expect(back.sections.map((s) => s.name)).toEqual(["main", "cfg02769c"]);
    expect([...(back.sections[0]?.options ?? [])]).toEqual([
      ["enabled", "1"],
      ["note", evil],
    ]);
  });

  it("refuses bad names, types and values, naming the field and quoting the value", async () => {
    const attempts: [() => Promise<unknown>, string, RegExp][] = [
      [() => store.set("enigm-vpn", "main", "bad.name", "1"), "option", /"bad\.name"/],
      [() => store.set("enigm-vpn", "main", "ok", "a\u0001b"), "value", /control character/],
      [() => store.add("enigm-vpn", "a#b"), "type", /"a#b"/],
      [() => store.set("enigm-vpn", "new", undefined, "x'y"), "type", /"x'y"/],
      [() => store.rename("enigm-vpn", "@server[0]", undefined, "main"), "section", /"main" already exists/],
      [() => store.get("../etc", "x"), "package", /"\.\.\/etc"/],
    ];
    for (const [p, field, message] of attempts) {
      const err = await p().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UciError);
      expect(err).toMatchObject({ field });
      expect((err as Error).message).toMatch(message);
    }
    expect(await store.changes("enigm-vpn")).toEqual([]);
  });

  it("renames, reorders, deletes and reverts like uci", async () => {
    await store.rename("enigm-vpn", "@server[0]", undefined, "srv");
    await store.reorder("enigm-vpn", "srv", 0);
    await store.addList("enigm-vpn", "srv", "dns", "1.1.1.1");
    await store.addList("enigm-vpn", "srv", "dns", "9.9.9.9");
    await store.delList("enigm-vpn", "srv", "dns", "1.1.1.1");
    await store.delete("enigm-vpn", "main", "enabled");
    expect((await store.load("enigm-vpn")).sections.map((s) => s.name)).toEqual(["srv", "main"]);
    await store.revert("enigm-vpn", "main");
    expect(await store.get("enigm-vpn", "main", "enabled")).toBe("1");
    expect((await store.changes("enigm-vpn")).map((d) => d.cmd)).toEqual(["rename", "reorder", "list_add", "list_add", "list_del"]);
    await store.revert("enigm-vpn");
    expect(await store.changes("enigm-vpn")).toEqual([]);
  });

  it("serialises concurrent writers with the lock", async () => {
    const patient = new UciStore({ configDir: join(dir, "config"), saveDir: join(dir, "save") });
    await Promise.all(Array.from({ length: 20 }, (_, i) => patient.addList("enigm-vpn", "main", "item", String(i))));
    const items = (await store.get("enigm-vpn", "main", "item")) as string[];
    expect([...items].sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it("takes over a lock left by a dead process and waits for a live one", async () => {
    await writeFile(cfg(".enigm-vpn.lock"), "999999999");
    await store.set("enigm-vpn", "main", "enabled", "0");
    await writeFile(cfg(".enigm-vpn.lock"), String(process.pid));
    await expect(store.set("enigm-vpn", "main", "enabled", "1")).rejects.toThrow(/held by another process/);
    expect(await store.get("enigm-vpn", "main", "enabled")).toBe("0");
  });

  it("update() rewrites only when the bytes change and keeps the mode", async () => {
    await chmod(cfg("enigm-vpn"), 0o640);
    expect(await store.update("enigm-vpn", (p) => p)).toBe(false);
    expect(await store.update("enigm-vpn", (p) => ({ ...p, sections: p.sections.slice(1) }))).toBe(true);
    expect(await readFile(cfg("enigm-vpn"), "utf8")).toBe("\nconfig server\n\toption name 'a'\n\n");
    expect((await stat(cfg("enigm-vpn"))).mode & 0o777).toBe(0o640);
  });
});
