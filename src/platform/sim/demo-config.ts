// The simulator's first-start config: one made-up server with fresh keys, so the switch in
// the UI does something on a laptop before anyone imports a real .conf file.
import { type Config, defaultConfig } from "../../core/config.ts";
import { generateKeyPair } from "../../core/keys.ts";

export function demoConfig(): Config {
  const d = defaultConfig();
  return {
    ...d,
    tunnel: { ...d.tunnel, privateKey: generateKeyPair().privateKey, addresses: ["10.64.0.2/32"], dns: ["10.64.0.1"] },
    servers: [
      {
        name: "Demo server",
        endpointHost: "demo.example.net",
        endpointPort: 51820,
        publicKey: generateKeyPair().publicKey,
        presharedKey: null,
        allowedIps: ["0.0.0.0/0", "::/0"],
        keepalive: 25,
      },
    ],
  };
}
