import { describe, expect, it } from "vitest";
import { isDecisionCorrect, readDecision, readoutWindow, type DecisionReadout } from "./decision-readout.js";
import { scoreTrials } from "./score-trials.js";
import { trialSet } from "./trial-set.js";
import { perceptualDecisionMaking } from "./tasks/perceptual-decision-making.js";
import { readySetGo } from "./tasks/ready-set-go.js";

describe("readDecision", () => {
  const task = perceptualDecisionMaking({ dt: 100 });
  const [trial] = trialSet(task, { seed: 0, count: 1 });
  const tr = trial!;

  it("argmax-mean averages each choice channel over the read-out period only", () => {
    const z = new Float32Array(tr.steps * 3);
    const { decision } = tr.meta.periods;
    // Outside the decision period channel 1 is large; inside, channel 2 wins on average.
    for (let t = 0; t < tr.steps; t++) z[t * 3 + 1] = t < decision!.start ? 9 : 0.4;
    for (let t = decision!.start; t < decision!.end; t++) z[t * 3 + 2] = 0.5;
    expect(readDecision(task.readout, z, tr)).toBe(1);
    expect(isDecisionCorrect(task.readout, 1, tr)).toBe(tr.meta.choice === 1);
    expect(Array.from(readoutWindow(task.readout, tr))).toEqual(Array.from({ length: tr.steps }, (_, t) => (t >= decision!.start ? 1 : 0)));
  });

  it("first-crossing returns the produced interval from the reference period's onset, NaN without a crossing", () => {
    const rsg = readySetGo({ timing: { measure: 1000 } });
    const [r] = trialSet(rsg, { seed: 0, count: 1 });
    const z = new Float32Array(r!.steps * 2);
    expect(readDecision(rsg.readout, z, r!)).toBeNaN();
    expect(isDecisionCorrect(rsg.readout, Number.NaN, r!)).toBe(false);
    const set = r!.meta.periods.set!.start;
    z[(set + 45) * 2 + 1] = 0.6; // (1 + 0.2) / 2, exactly the threshold
    z[(set + 60) * 2 + 1] = 1;
    expect(readDecision(rsg.readout, z, r!)).toBe(900);
    expect(isDecisionCorrect(rsg.readout, 900, r!)).toBe(true);
    const w = readoutWindow(rsg.readout, r!);
    expect(w.indexOf(1)).toBe(set + 40);
    expect(w.lastIndexOf(1)).toBe(set + 60);
  });

  it("scoreTrials and readDecision reject mismatched outputs, naming the sizes", () => {
    expect(() => readDecision(task.readout, new Float32Array(3), tr)).toThrow(/outputs hold 3 values; expected steps \* nOut = 22 \* 3 = 66/);
    expect(() => scoreTrials(task, [tr], [])).toThrow(/got 0 outputs for 1 trials/);
    const bad: DecisionReadout = { kind: "argmax-mean", period: "delay", channels: [1, 2] };
    expect(() => readDecision(bad, new Float32Array(66), tr)).toThrow(/trial 0 has no period "delay"; it has fixation, stimulus, decision/);
  });
});
