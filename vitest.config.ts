import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Lab and browser suites share network namespaces, the wireguard-go socket dir and one
    // Chromium; running files one at a time keeps them from stepping on each other on 2 cores.
    fileParallelism: false,
  },
});
