import * as tf from "@tensorflow/tfjs";
import { Lockstep, yieldToBrowser } from "./lockstep.js";
import { RunClock } from "./run-clock.js";

/** The run states a single-network section of the page goes through. */
export type RunState = "waiting" | "idle" | "running" | "paused" | "finished" | "error";

/** The part of a section's `window.__demo.*` state that {@link mountRunControl} keeps up to date. */
export interface RunProgress {
  state: RunState;
  updates: number;
  /** Updates per second while running (all of them, and after the first 10). */
  updatesPerSecond: number | null;
  steadyUpdatesPerSecond: number | null;
  /** performance.now() when update 10 was done (warm-up over), null before. */
  steadySince: number | null;
  error: string | null;
}

/** What a training run started by a section must offer: a promise of how it ended. */
export interface ControlledRun {
  done: Promise<{ updates: number; diverged?: { update: number; reason: string } | null }>;
}

/** The section-specific parts of {@link mountRunControl}. */
export interface RunControlOptions<R extends ControlledRun> {
  /** The Lockstep member id (one member: one update per browser task). */
  id: string;
  /** The address parameter of `stopAfter`, named in the auto-pause message (e.g. "ctSteps"). */
  stopParameter: string;
  /** Pause automatically after this many updates (null: never). */
  stopAfter: number | null;
  buttons: { start: HTMLButtonElement; pause: HTMLButtonElement; reset: HTMLButtonElement };
  statusLine: HTMLElement;
  /** The settings inputs: editable only before the first Start (and after a Reset). */
  inputs: readonly HTMLInputElement[];
  /** The status text while nothing can start yet. */
  waitingText: string;
  /** The state object to keep up to date. */
  progress: RunProgress;
  /** One line of progress ("N updates, test accuracy …"), shown after "Training: " etc. */
  progressText(): string;
  /** Starts a run; every update awaits `arrive()`, and the run stops when `signal` aborts. May throw. */
  begin(arrive: () => Promise<void>, signal: AbortSignal): R;
  /** Called after every released update (after the progress fields are updated). */
  onCycle?(updates: number): void;
  /** Milliseconds of each update, from its release to its next yield. */
  onStep?(milliseconds: number): void;
  /** Frees a run's tensors (after its `done` settled). */
  dispose(run: R): void;
  /** Empties the section's charts, tables and state (the progress fields included) at Reset. */
  clear(): void;
}

/**
 * The Start / Pause / Resume / Reset control of one training run on the page, shared by the
 * demo's single-network sections: it owns the {@link Lockstep} gate (one update per browser
 * task around `yieldToBrowser`), the abort signal, the {@link RunClock} (paused time excluded, the
 * updates-per-second rates), the button and input states and the status line. A Reset aborts the
 * run, waits for it to settle, disposes it and clears the section.
 *
 * @returns `ready()`, to call once the section can start (backend set, data loaded), and `showStatus(text)` to replace the status line while running
 */
export function mountRunControl<R extends ControlledRun>(o: RunControlOptions<R>): { ready(): void; showStatus(text: string): void } {
  const { progress, statusLine } = o;
  let canStart = false;
  let run: R | null = null;
  let gate: Lockstep | null = null;
  let abort: AbortController | null = null;
  const clock = new RunClock();

  function setState(s: RunState, message: string): void {
    progress.state = s;
    statusLine.dataset["state"] = s;
    statusLine.textContent = message;
    o.buttons.start.disabled = !canStart || s === "running" || s === "finished" || s === "waiting" || s === "error";
    o.buttons.pause.disabled = s !== "running";
    o.buttons.reset.disabled = s === "idle" || s === "waiting";
    o.buttons.start.textContent = s === "paused" ? "Resume" : "Start";
    for (const input of o.inputs) input.disabled = s !== "idle" && s !== "waiting";
  }

  function showError(message: string): void {
    clock.stop();
    progress.error = message;
    setState("error", `Error: ${message}`);
  }

  function onCycle(updates: number): void {
    progress.updates = updates;
    const rates = clock.tick(updates);
    progress.updatesPerSecond = rates.perSecond;
    progress.steadyUpdatesPerSecond = rates.steadyPerSecond ?? progress.steadyUpdatesPerSecond;
    progress.steadySince = rates.steadySince;
    o.onCycle?.(updates);
    if (updates % 5 === 0) statusLine.textContent = `Training: ${o.progressText()}`;
  }

  function start(): void {
    if (!canStart) return;
    if (!gate) {
      const ls = new Lockstep(() => yieldToBrowser(), {
        onCycle,
        onStep: (_id, ms) => o.onStep?.(ms),
        onAutoPause: (n) => {
          clock.stop();
          setState("paused", `Paused after ${n} updates (${o.stopParameter}=${n} in the address): ${o.progressText()}`);
        },
      });
      ls.stopAt = o.stopAfter;
      ls.join(o.id);
      gate = ls;
      abort = new AbortController();
      const signal = abort.signal;
      let thisRun: R;
      try {
        thisRun = o.begin(() => ls.arrive(o.id), signal);
      } catch (e) {
        ls.leave(o.id);
        gate = null;
        showError((e as Error).message);
        return;
      }
      run = thisRun;
      thisRun.done
        .then((result) => {
          ls.leave(o.id);
          if (run !== thisRun || signal.aborted) return;
          clock.stop();
          if (result.diverged) showError(`diverged at update ${result.diverged.update}: ${result.diverged.reason}`);
          else setState("finished", `Finished ${result.updates} updates: ${o.progressText()}`);
        })
        .catch((e: unknown) => {
          ls.leave(o.id);
          if (run === thisRun) showError((e as Error).message);
        });
    }
    clock.start();
    setState("running", `Training: ${o.progressText()}`);
    gate.resume();
  }

  function pause(): void {
    gate?.pause();
    clock.stop();
    setState("paused", `Paused: ${o.progressText()}`);
  }

  async function reset(): Promise<void> {
    const ls = gate;
    const old = run;
    gate = null;
    run = null;
    abort?.abort();
    abort = null;
    if (ls) {
      ls.resume();
      ls.releaseAll();
    }
    if (old) {
      await old.done.catch(() => undefined);
      o.dispose(old);
    }
    clock.reset();
    o.clear();
    setState(canStart ? "idle" : "waiting", canStart ? `Ready. Press Start. (${tf.memory().numTensors} tensors in memory)` : o.waitingText);
  }

  o.buttons.start.addEventListener("click", start);
  o.buttons.pause.addEventListener("click", pause);
  o.buttons.reset.addEventListener("click", () => void reset());
  setState("waiting", o.waitingText);
  return {
    ready() {
      canStart = true;
      if (progress.state === "waiting") setState("idle", "Ready. Press Start.");
    },
    showStatus(text) {
      if (progress.state === "running") statusLine.textContent = text;
    },
  };
}
