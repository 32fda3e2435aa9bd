import { describe, expect, it } from "vitest";
import { planWithSweeps } from "../../runner/sweep.js";
import type { AnyExperiment } from "../../runner/experiment.js";
import { eiSweepExperiment } from "../ei-sweep/ei-sweep-experiment.js";
import { radiusSweepExperiment } from "../radius-sweep/radius-sweep-experiment.js";
import { rnnExperiment } from "../rnn/rnn-experiment.js";
import { transplantExperiment } from "../transplant/transplant-experiment.js";
import { parseRnnSeeds, rnnSeeds } from "./rnn-profiles.js";

const ids = (e: AnyExperiment, values: Record<string, string>, sweep: string[] = []) => planWithSweeps(e, e.parse(values) as never, sweep).map((r) => r.runId);

describe("--seeds N of the recurrent experiments", () => {
  it("plans seeds 0 .. N-1; without it the profile's; older options without seeds plan as before", () => {
    expect(rnnSeeds({ profile: "paper" })).toEqual([0, 1, 2, 3, 4]);
    expect(rnnSeeds({ profile: "paper", seeds: 7 })).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(parseRnnSeeds(undefined)).toEqual({});
    for (const bad of ["0", "-3", "2.5", "x"]) expect(() => parseRnnSeeds(bad), bad).toThrow(/^--seeds must be a positive integer; got "/);
  });

  it("the extra seeds join the profile's runs: the paper profile's ids are kept and seeds 5.. are added, in transplant, rnn, ei-sweep and radius-sweep", () => {
    const cases: Array<[AnyExperiment, Record<string, string>, string[]]> = [
      [transplantExperiment as AnyExperiment, { profile: "paper" }, []],
      [rnnExperiment as AnyExperiment, { profile: "paper", task: "seqmnist", models: "colei" }, []],
      [eiSweepExperiment as AnyExperiment, { profile: "paper", models: "colei" }, ["hidden=100", "inhibitory=0.1"]],
      [radiusSweepExperiment as AnyExperiment, { profile: "paper", models: "colei", clipping: "gc" }, ["rho=1.5"]],
    ];
    for (const [e, values, sweep] of cases) {
      const five = ids(e, values, sweep);
      const thirty = ids(e, { ...values, seeds: "30" }, sweep);
      expect(thirty.length, e.name).toBe(6 * five.length);
      expect(thirty.filter((id) => /seed=[0-4]$/.test(id)).sort(), e.name).toEqual([...five].sort());
      expect(thirty, e.name).toContain(five[0]!.replace(/seed=0$/, "seed=29"));
    }
  });
});
