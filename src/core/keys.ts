// WireGuard keys: X25519, base64 of 32 bytes (44 characters), as `wg genkey`/`wg pubkey` make.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";

const PKCS8_X25519_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");

export function isWgKey(text: string): boolean {
  return /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(text);
}

export function publicKeyOf(privateKeyB64: string): string {
  const der = Buffer.concat([PKCS8_X25519_PREFIX, Buffer.from(privateKeyB64, "base64")]);
  const pub = createPublicKey(createPrivateKey({ key: der, format: "der", type: "pkcs8" }));
  const jwk = pub.export({ format: "jwk" });
  return Buffer.from(jwk.x as string, "base64url").toString("base64");
}

export function generateKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("x25519");
  const d = privateKey.export({ format: "jwk" }).d as string;
  const x = publicKey.export({ format: "jwk" }).x as string;
  return {
    privateKey: Buffer.from(d, "base64url").toString("base64"),
    publicKey: Buffer.from(x, "base64url").toString("base64"),
  };
}

/** A preshared key is 32 random bytes, like `wg genpsk`. */
export function generatePresharedKey(): string {
  return randomBytes(32).toString("base64");
}
