// Name rules and anonymous section names, as libuci applies them (C locale, byte-wise).

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** uci_validate_str over UTF-8 bytes or a JS string of code units. */
function validate(str: string, name: boolean, pkg: boolean): boolean {
  if (str.length === 0) return false;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (isAlnum(c) || c === 95) continue;
    if (c === 45 && pkg) continue;
    if (name || c < 33 || c > 126) return false;
  }
  return true;
}

/** Section and option names: letters, digits, `_`. */
export const isValidName = (s: string): boolean => validate(s, true, false);
/** Section types: any printable ASCII but space. */
export const isValidType = (s: string): boolean => validate(s, false, false);
/** Package name inside a `package` statement: letters, digits, `_`, `-`. */
export const isValidPackageStatement = (s: string): boolean => validate(s, true, true);
/** Package name in a `pkg.section.option` pointer (libuci accepts any printable ASCII). */
export const isValidPackage = (s: string): boolean => validate(s, false, true);

/** uci_validate_text: no control characters except tab, CR and LF. */
export function isValidText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

/**
 * Bytes that a type may hold for libuci but that `uci commit` would write unquoted and then
 * read back differently (`config a#b` is type `a`): refused by our writers.
 */
export function isSafeType(s: string): boolean {
  return isValidType(s) && !/['"\\#;]/.test(s);
}

/**
 * The `cfgXXXXXX` name libuci gives an anonymous section when it is created: the package's
 * running section count (after counting this one) and a djb2 hash of the type, since the
 * section has no options yet at that point.
 */
export function anonymousName(index: number, type: string): string {
  // Types are printable ASCII (isValidType), so code units are the bytes libuci hashes.
  let hash = 5381;
  for (let i = 0; i < type.length; i++) hash = (Math.imul(hash, 33) + type.charCodeAt(i)) >>> 0;
  hash &= 0x7fffffff;
  return `cfg${index.toString(16).padStart(2, "0")}${(hash % 65536).toString(16).padStart(4, "0")}`;
}
