// The two archive formats an .ipk is made of, written byte by byte so the package is the same
// for the same input (fixed owner root:root and a fixed mtime).

export interface TarEntry {
  path: string;
  mode: number;
  type: "file" | "dir" | "symlink";
  data?: Uint8Array;
  linkTarget?: string;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, "0")}\0`;
}

function header(e: TarEntry, mtime: number): Buffer {
  const h = Buffer.alloc(512);
  let name = e.path;
  let prefix = "";
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf("/", 155);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
    if (Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) throw new Error(`tar: path too long: ${e.path}`);
  }
  h.write(name, 0, "utf8");
  h.write(octal(e.mode & 0o7777, 8), 100, "ascii");
  h.write(octal(0, 8), 108, "ascii");
  h.write(octal(0, 8), 116, "ascii");
  h.write(octal(e.type === "file" ? (e.data?.length ?? 0) : 0, 12), 124, "ascii");
  h.write(octal(mtime, 12), 136, "ascii");
  h.write("        ", 148, "ascii");
  h.write(e.type === "file" ? "0" : e.type === "dir" ? "5" : "2", 156, "ascii");
  if (e.linkTarget) h.write(e.linkTarget, 157, "utf8");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  h.write("root", 265, "ascii");
  h.write("root", 297, "ascii");
  h.write(prefix, 345, "utf8");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return h;
}

/** A ustar archive; the caller gzips it. */
export function tar(entries: TarEntry[], mtime: number): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e, mtime));
    if (e.type === "file" && e.data?.length) {
      parts.push(Buffer.from(e.data));
      const pad = (512 - (e.data.length % 512)) % 512;
      parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A System V `ar` archive with short member names, as dpkg and opkg read it. */
export function ar(members: { name: string; data: Uint8Array }[], mtime: number): Buffer {
  const parts: Buffer[] = [Buffer.from("!<arch>\n", "ascii")];
  for (const m of members) {
    if (m.name.length > 15) throw new Error(`ar: member name too long: ${m.name}`);
    const h = `${m.name.padEnd(16)}${String(mtime).padEnd(12)}${"0".padEnd(6)}${"0".padEnd(6)}${"100644".padEnd(8)}${String(m.data.length).padEnd(10)}\`\n`;
    parts.push(Buffer.from(h, "ascii"), Buffer.from(m.data));
    if (m.data.length % 2) parts.push(Buffer.from("\n"));
  }
  return Buffer.concat(parts);
}
