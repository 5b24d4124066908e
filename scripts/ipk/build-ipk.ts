// Builds enigm-vpn_<version>_all.ipk from dist/ and files/: the same tree the feed Makefile
// installs, so `opkg install` works without the OpenWrt SDK.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { ar, type TarEntry, tar } from "./archives.ts";

export interface IpkInput {
  root: string;
  version: string;
  mtime: number;
}

export const CONFFILES = ["/etc/config/enigm-vpn"];
export const DEPENDS = ["libc", "node", "wireguard-tools", "kmod-wireguard", "nftables", "kmod-nft-nat", "dnsmasq"];

/** Installed path -> [source path in the tree, mode]. */
const FILES: [string, string, number][] = [
  ["usr/lib/enigm-vpn/enigm-vpnd.mjs", "dist/enigm-vpnd.mjs", 0o644],
  ["usr/lib/enigm-vpn/enigm-vpn.mjs", "dist/enigm-vpn.mjs", 0o755],
  ["etc/init.d/enigm-vpn", "files/etc/init.d/enigm-vpn", 0o755],
  ["etc/config/enigm-vpn", "files/etc/config/enigm-vpn", 0o600],
  ["etc/uci-defaults/90-enigm-vpn", "files/etc/uci-defaults/90-enigm-vpn", 0o755],
  ["etc/hotplug.d/iface/90-enigm-vpn", "files/etc/hotplug.d/iface/90-enigm-vpn", 0o755],
  ["usr/share/rpcd/acl.d/enigm-vpn.json", "files/usr/share/rpcd/acl.d/enigm-vpn.json", 0o644],
];

// OpenWrt's own package scripts: run uci-defaults and enable the service on a live system.
const POSTINST = `#!/bin/sh
[ "\${IPKG_NO_SCRIPT}" = "1" ] && exit 0
[ -s "\${IPKG_INSTROOT}/lib/functions.sh" ] || exit 0
. "\${IPKG_INSTROOT}/lib/functions.sh"
default_postinst "$0" "$@"
`;
const PRERM = `#!/bin/sh
[ -s "\${IPKG_INSTROOT}/lib/functions.sh" ] || exit 0
. "\${IPKG_INSTROOT}/lib/functions.sh"
default_prerm "$0" "$@"
`;

function dirsOf(paths: string[]): string[] {
  const dirs = new Set<string>();
  for (const p of paths) {
    const parts = p.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  return [...dirs].sort();
}

async function webFiles(root: string): Promise<[string, string, number][]> {
  const dir = join(root, "dist/web");
  const out: [string, string, number][] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const rel = relative(dir, join(e.parentPath, e.name));
    out.push([`usr/lib/enigm-vpn/web/${rel}`, `dist/web/${rel}`, 0o644]);
  }
  return out;
}

export function controlText(version: string, installedSize: number): string {
  return `${[
    "Package: enigm-vpn",
    `Version: ${version}`,
    `Depends: ${DEPENDS.join(", ")}`,
    "Source: package/openwrt/enigm-vpn",
    "SourceName: enigm-vpn",
    "License: MIT",
    "Section: net",
    "Maintainer: Enigm maintainers",
    "Architecture: all",
    `Installed-Size: ${installedSize}`,
    "Description: WireGuard for the whole LAN with a kernel-enforced kill switch and a small web UI",
  ].join("\n")}\n`;
}

export async function buildIpk(input: IpkInput): Promise<{ name: string; data: Buffer }> {
  const files = [...FILES, ...(await webFiles(input.root))];
  const entries: TarEntry[] = [];
  const targets = files.map(([to]) => to).concat("usr/bin/enigm-vpn");
  for (const d of dirsOf(targets)) entries.push({ path: `./${d}/`, mode: 0o755, type: "dir" });
  let size = 0;
  for (const [to, from, mode] of files.sort((a, b) => a[0].localeCompare(b[0]))) {
    const data = await readFile(join(input.root, from));
    size += (await stat(join(input.root, from))).size;
    entries.push({ path: `./${to}`, mode, type: "file", data });
  }
  entries.push({ path: "./usr/bin/enigm-vpn", mode: 0o777, type: "symlink", linkTarget: "../lib/enigm-vpn/enigm-vpn.mjs" });
  entries.sort((a, b) => a.path.localeCompare(b.path));

  const control: TarEntry[] = [
    { path: "./", mode: 0o755, type: "dir" },
    { path: "./control", mode: 0o644, type: "file", data: Buffer.from(controlText(input.version, size)) },
    { path: "./conffiles", mode: 0o644, type: "file", data: Buffer.from(`${CONFFILES.join("\n")}\n`) },
    { path: "./postinst", mode: 0o755, type: "file", data: Buffer.from(POSTINST) },
    { path: "./prerm", mode: 0o755, type: "file", data: Buffer.from(PRERM) },
  ];
  const gz = (b: Buffer) => gzipSync(b, { level: 9 });
  const data = ar(
    [
      { name: "debian-binary", data: Buffer.from("2.0\n") },
      { name: "control.tar.gz", data: gz(tar(control, input.mtime)) },
      { name: "data.tar.gz", data: gz(tar([{ path: "./", mode: 0o755, type: "dir" }, ...entries], input.mtime)) },
    ],
    input.mtime,
  );
  return { name: `enigm-vpn_${input.version}_all.ipk`, data };
}
