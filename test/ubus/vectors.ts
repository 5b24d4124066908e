// Where the recorded OpenWrt vectors live: ../shared/vectors/openwrt beside the checkout.
import { readFileSync } from "node:fs";

export const VECTORS = new URL("../../../shared/vectors/openwrt/", import.meta.url);

export const vectorText = (rel: string): string => readFileSync(new URL(rel, VECTORS), "utf8");
/** Python wrote NaN/Infinity as bare tokens; they only appear in `decoded` trees, which we read as strings. */
export const vectorJson = <T>(rel: string): T => JSON.parse(vectorText(rel).replace(/:\s*(-?(?:NaN|Infinity))\b/g, ': "$1"')) as T;
export const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ""), "hex");
