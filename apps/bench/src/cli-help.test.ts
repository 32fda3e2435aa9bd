/** `dale-bench <command> --help`: every experiment and command answers with its flags, exit 0. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "./cli.js";
import { COMMANDS, EXPERIMENTS } from "./experiments/registry.js";

describe("dale-bench <command> --help", () => {
  afterEach(() => vi.restoreAllMocks());

  const names = [...EXPERIMENTS.map((e) => e.name), ...COMMANDS.map((c) => c.name)];
  it.each(names)("%s --help prints its usage and exits 0 without running", async (name) => {
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const status = await main([name, "--help"]);
    expect(status).toBe(0);
    expect(out.join("")).toMatch(new RegExp(`dale-bench ${name}`));
  });
});
