import { describe, expect, it } from "vitest";
import { channelGroups } from "./channel-groups.js";

describe("channelGroups", () => {
  it("channelGroups({ PN: 64, IG: 16, OG: 16 }) lays the groups out in order", () => {
    expect(channelGroups({ PN: 64, IG: 16, OG: 16 })).toEqual({
      PN: { start: 0, end: 64, size: 64 },
      IG: { start: 64, end: 80, size: 16 },
      OG: { start: 80, end: 96, size: 16 },
    });
    expect(channelGroups({ X: 32, E: 64, I: 16, empty: 0 }).I).toEqual({ start: 96, end: 112, size: 16 });
  });

  it("channelGroups rejects bad counts, integer names and no groups", () => {
    expect(() => channelGroups({ PN: -1 })).toThrow("channelGroups: sizes.PN must be an integer >= 0; got -1");
    expect(() => channelGroups({ PN: 2.5 })).toThrow("got 2.5");
    expect(() => channelGroups({ 3: 4 })).toThrow('channelGroups: group name "3" is an integer');
    expect(() => channelGroups({})).toThrow("channelGroups: sizes has no groups");
    expect(() => channelGroups([4] as never)).toThrow("channelGroups: sizes must be an object");
  });
});
