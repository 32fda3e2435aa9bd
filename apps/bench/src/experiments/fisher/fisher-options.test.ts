import { describe, expect, it } from "vitest";
import { parseFisherOptions, planFisherRuns } from "./fisher-options.js";

describe("fisher options", () => {
  it("default to the reference code's one-inhibitory-unit DANN (dann-1i), recorded in the run id; --model dann picks the paper's 50", () => {
    const o = parseFisherOptions({});
    expect(o.model).toBe("dann-1i");
    expect(planFisherRuns(o)[0]!.runId).toMatch(/^fisher\/mnist\/dann-1i\//);
    expect(parseFisherOptions({ model: "dann" }).model).toBe("dann");
  });
});
