// uci_parse_ptr: `package[.section[.option]][=value]`, as the CLI and delta files spell it.
import { UciError } from "./errors.ts";
import { isValidName, isValidPackage, isValidText } from "./names.ts";

export interface UciPtr {
  package: string;
  section?: string;
  option?: string;
  value?: string;
  /** The section is not a plain name (e.g. `@rule[0]`): it needs an extended lookup. */
  extended: boolean;
}

export function parseUciPtr(text: string): UciPtr {
  const eq = text.indexOf("=");
  const path = eq < 0 ? text : text.slice(0, eq);
  const parts = path.split(".");
  if (parts.length > 3) throw new UciError("parse", `too many dots in ${JSON.stringify(path)}`);
  const [pkg = "", section, option] = parts;
  if (!isValidPackage(pkg)) throw new UciError("parse", `invalid package name ${JSON.stringify(pkg)}`, "package");
  if (option !== undefined && !isValidName(option)) throw new UciError("parse", `invalid option name ${JSON.stringify(option)}`, "option");
  const ptr: UciPtr = { package: pkg, extended: section !== undefined && !isValidName(section) };
  if (section !== undefined) ptr.section = section;
  if (option !== undefined) ptr.option = option;
  if (eq >= 0) {
    const value = text.slice(eq + 1);
    if (!isValidText(value)) throw new UciError("parse", `control character in value ${JSON.stringify(value)}`, "value");
    ptr.value = value;
  }
  return ptr;
}
