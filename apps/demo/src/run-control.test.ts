import { describe, expect, it } from "vitest";
import { yieldMacrotask } from "./lockstep.js";
import { mountRunControl, type ControlledRun, type RunControlOptions, type RunProgress } from "./run-control.js";

/** The parts of a button / input / paragraph the control touches, without a DOM. */
class FakeElement {
  disabled = false;
  textContent = "";
  dataset: Record<string, string> = {};
  private listeners: Array<() => void> = [];
  addEventListener(_type: string, fn: () => void): void {
    this.listeners.push(fn);
  }
  click(): void {
    for (const fn of this.listeners) fn();
  }
}

const settle = async (n = 60): Promise<void> => {
  for (let i = 0; i < n; i++) await yieldMacrotask();
};

/** A fake training loop of `updates` steps that awaits `arrive()` after each, stops on abort, and may diverge. */
function fakeRun(arrive: () => Promise<void>, signal: AbortSignal, updates: number, divergeAt: number | null): ControlledRun {
  const done = (async () => {
    for (let u = 1; u <= updates; u++) {
      if (signal.aborted) return { updates: u - 1 };
      if (u === divergeAt) return { updates: u, diverged: { update: u, reason: "loss is NaN" } };
      await arrive();
    }
    return { updates };
  })();
  return { done };
}

function mount(over: { updates?: number; divergeAt?: number; stopAfter?: number | null; beginThrows?: string } = {}) {
  const progress: RunProgress = { state: "waiting", updates: 0, updatesPerSecond: null, steadyUpdatesPerSecond: null, steadySince: null, error: null };
  const buttons = { start: new FakeElement(), pause: new FakeElement(), reset: new FakeElement() };
  const statusLine = new FakeElement();
  const input = new FakeElement();
  const log = { begun: 0, disposed: 0, cleared: 0, cycles: [] as number[] };
  const options: RunControlOptions<ControlledRun> = {
    id: "x",
    stopParameter: "xSteps",
    stopAfter: over.stopAfter ?? null,
    buttons: buttons as unknown as RunControlOptions<ControlledRun>["buttons"],
    statusLine: statusLine as unknown as HTMLElement,
    inputs: [input as unknown as HTMLInputElement],
    waitingText: "Waiting…",
    progress,
    progressText: () => `${progress.updates} updates`,
    onCycle: (u) => log.cycles.push(u),
    begin(arrive, signal) {
      if (over.beginThrows) throw new Error(over.beginThrows);
      log.begun++;
      return fakeRun(arrive, signal, over.updates ?? 1000, over.divergeAt ?? null);
    },
    dispose: () => log.disposed++,
    clear: () => {
      log.cleared++;
      progress.updates = 0;
    },
  };
  const control = mountRunControl(options);
  return { progress, buttons, statusLine, input, log, control };
}

describe("mountRunControl", () => {
  it("is 'waiting' with Start disabled until ready(), then 'idle' with Start enabled and the inputs editable", () => {
    const m = mount();
    expect(m.progress.state).toBe("waiting");
    expect(m.buttons.start.disabled).toBe(true);
    m.buttons.start.click();
    expect(m.log.begun).toBe(0);
    m.control.ready();
    expect(m.progress.state).toBe("idle");
    expect(m.buttons.start.disabled).toBe(false);
    expect(m.buttons.reset.disabled).toBe(true);
    expect(m.input.disabled).toBe(false);
  });

  it("Start with stopAfter 5 runs exactly 5 updates, pauses by itself naming the address parameter, and Resume goes on from there", async () => {
    const m = mount({ stopAfter: 5 });
    m.control.ready();
    m.buttons.start.click();
    expect(m.progress.state).toBe("running");
    expect(m.input.disabled).toBe(true);
    expect(m.buttons.pause.disabled).toBe(false);
    await settle();
    expect(m.progress.state).toBe("paused");
    expect(m.progress.updates).toBe(5);
    expect(m.log.cycles).toEqual([1, 2, 3, 4, 5]);
    expect(m.statusLine.textContent).toMatch(/^Paused after 5 updates \(xSteps=5 in the address\)/);
    expect(m.buttons.start.textContent).toBe("Resume");
    expect(m.progress.updatesPerSecond).toBeGreaterThan(0);
    m.buttons.start.click();
    await settle(20);
    expect(m.log.begun).toBe(1);
    expect(m.progress.updates).toBeGreaterThan(5);
    m.buttons.pause.click();
    expect(m.progress.state).toBe("paused");
  });

  it("a run that ends is 'finished' with Start disabled; one that diverges is an error naming the update and the reason", async () => {
    const f = mount({ updates: 3 });
    f.control.ready();
    f.buttons.start.click();
    await settle();
    expect(f.progress.state).toBe("finished");
    expect(f.statusLine.textContent).toBe("Finished 3 updates: 3 updates");
    expect(f.buttons.start.disabled).toBe(true);

    const d = mount({ divergeAt: 3 });
    d.control.ready();
    d.buttons.start.click();
    await settle();
    expect(d.progress.state).toBe("error");
    expect(d.progress.error).toBe("diverged at update 3: loss is NaN");
  });

  it("Reset while running aborts the run, disposes it once after it settled, clears the section and is 'idle' again; Start then begins a new run", async () => {
    const m = mount();
    m.control.ready();
    m.buttons.start.click();
    await settle(10);
    expect(m.progress.updates).toBeGreaterThan(0);
    m.buttons.reset.click();
    await settle(10);
    expect(m.log.disposed).toBe(1);
    expect(m.log.cleared).toBe(1);
    expect(m.progress.state).toBe("idle");
    expect(m.progress.updates).toBe(0);
    expect(m.input.disabled).toBe(false);
    m.buttons.start.click();
    expect(m.log.begun).toBe(2);
    m.buttons.reset.click();
    await settle(10);
    expect(m.log.disposed).toBe(2);
  });

  it("a Start whose begin throws shows the error on one line and leaves Start disabled until Reset", async () => {
    const m = mount({ beginThrows: "bad seed -1" });
    m.control.ready();
    m.buttons.start.click();
    expect(m.progress.state).toBe("error");
    expect(m.statusLine.textContent).toBe("Error: bad seed -1");
    expect(m.buttons.start.disabled).toBe(true);
    m.buttons.reset.click();
    await settle(5);
    expect(m.progress.state).toBe("idle");
  });

  it("showStatus replaces the status line only while running", () => {
    const m = mount();
    m.control.ready();
    m.control.showStatus("Training: evaluated");
    expect(m.statusLine.textContent).toBe("Ready. Press Start.");
    m.buttons.start.click();
    m.control.showStatus("Training: evaluated");
    expect(m.statusLine.textContent).toBe("Training: evaluated");
  });
});
