// Reader for the recorded uci CLI transcripts in ../shared/vectors/openwrt/uci/CASE/.
export type Step =
  | { kind: "uci"; line: string; args: string[]; stdin: string; stdout: string; stderr: string; code: number }
  | { kind: "cat"; line: string; file: string; bytes: Buffer };

/** Split a bash command line: `\x`, '...', "...", $'...' (with \t \n \\ \'). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur: string | undefined;
  let i = 0;
  const ansi: Record<string, string> = { t: "\t", n: "\n", "\\": "\\", "'": "'", '"': '"' };
  while (i < line.length) {
    const c = line[i] as string;
    if (c === " " || c === "\t") {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
      i++;
    } else if (c === "\\") {
      cur = (cur ?? "") + (line[i + 1] ?? "");
      i += 2;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur = (cur ?? "") + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === "$" && line[i + 1] === "'") {
      i += 2;
      cur ??= "";
      while (line[i] !== "'") {
        if (line[i] === "\\") {
          cur += ansi[line[i + 1] as string] ?? `\\${line[i + 1]}`;
          i += 2;
        } else cur += line[i++];
      }
      i++;
    } else if (c === '"') {
      i++;
      cur ??= "";
      while (line[i] !== '"') {
        if (line[i] === "\\" && /["\\$`]/.test(line[i + 1] ?? "")) i++;
        cur += line[i++];
      }
      i++;
    } else {
      cur = (cur ?? "") + c;
      i++;
    }
  }
  if (cur !== undefined) words.push(cur);
  return words;
}

function hexBytes(lines: string[]): Buffer {
  return Buffer.from(lines.map((l) => l.slice(10, 49).replaceAll(" ", "")).join(""), "hex");
}

export function parseTranscript(text: string): Step[] {
  const lines = text.split("\n");
  const steps: Step[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line.startsWith("$ ")) continue;
    const cmd = line.slice(2);
    if (cmd.startsWith("cat ")) {
      const file = cmd.split(/\s+/)[1] as string;
      while (lines[i] !== `--- hex of ${file}:`) i++;
      const hex: string[] = [];
      while (/^[0-9a-f]{8}: /.test(lines[i + 1] ?? "")) hex.push(lines[++i] as string);
      steps.push({ kind: "cat", line: cmd, file, bytes: hexBytes(hex) });
      continue;
    }
    const heredoc = cmd.indexOf("<<'EOF'");
    let stdin = "";
    if (heredoc >= 0) {
      while (lines[++i] !== "EOF") stdin += `${lines[i]}\n`;
    }
    let stdout = "";
    let stderr = "";
    let m: RegExpExecArray | null = null;
    for (;;) {
      const l = lines[++i] as string;
      m = /^\[exit (\d+)\]$/.exec(l);
      if (m) break;
      if (l.startsWith("stderr| ")) stderr += `${l.slice(8)}\n`;
      else stdout += `${l}\n`;
    }
    const args = shellWords(heredoc >= 0 ? cmd.slice(0, heredoc) : cmd).slice(1);
    steps.push({ kind: "uci", line: cmd, args, stdin, stdout, stderr, code: Number(m[1]) });
  }
  return steps;
}
