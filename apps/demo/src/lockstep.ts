/**
 * Runs several training loops in lockstep: each loop calls `arrive(id)` (as trainModel's
 * `yieldFn`) after every update. When every member has arrived, one cycle is complete; the
 * scheduler then lets each member do its next update in a task of its own, with a yield to the
 * browser before each, so the page is never blocked for longer than one network's update (plus
 * its evaluation). While paused nobody is released, which pauses every loop after its current
 * update.
 */
export class Lockstep {
  private readonly members = new Set<string>();
  private readonly waiting = new Map<string, () => void>();
  private toRelease: string[] = [];
  private readonly releasedAt = new Map<string, number>();
  private paused = true;
  private pumping = false;
  /** The members' first update happens before their first arrival. */
  private updatedSinceCount = true;
  /** Completed cycles (= updates done by each member). */
  cycles = 0;
  /** Pause automatically once this many cycles are done (null: never); cleared when it fires. */
  stopAt: number | null = null;

  constructor(
    private readonly yieldToBrowser: () => Promise<void>,
    private readonly hooks: {
      onCycle?: (cycles: number) => void;
      onAutoPause?: (cycles: number) => void;
      /** How long a member's update took, from its release to its next arrival (one browser task). */
      onStep?: (id: string, milliseconds: number) => void;
    } = {},
  ) {}

  get isPaused(): boolean {
    return this.paused;
  }

  join(id: string): void {
    this.members.add(id);
  }

  /** A member whose loop has ended (finished, diverged or aborted) stops being waited for. */
  leave(id: string): void {
    this.members.delete(id);
    this.waiting.delete(id);
    this.toRelease = this.toRelease.filter((m) => m !== id);
    this.maybeRelease();
  }

  /** Called by a member after each update; resolves when it may do the next one. */
  arrive(id: string): Promise<void> {
    const since = this.releasedAt.get(id);
    if (since !== undefined) {
      this.releasedAt.delete(id);
      this.hooks.onStep?.(id, performance.now() - since);
    }
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.maybeRelease();
    });
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.maybeRelease();
  }

  /** Releases everyone now regardless of pause (used on reset, after aborting the loops). */
  releaseAll(): void {
    const rs = [...this.waiting.values()];
    this.waiting.clear();
    this.toRelease = [];
    rs.forEach((r) => r());
  }

  private maybeRelease(): void {
    if (this.pumping) return;
    if (this.toRelease.length === 0) {
      if (this.waiting.size === 0) return;
      for (const id of this.members) if (!this.waiting.has(id)) return;
      if (this.updatedSinceCount) {
        // Every member has finished one more update.
        this.updatedSinceCount = false;
        this.cycles++;
        this.hooks.onCycle?.(this.cycles);
        if (this.stopAt !== null && this.cycles >= this.stopAt) {
          this.stopAt = null;
          this.paused = true;
          this.hooks.onAutoPause?.(this.cycles);
        }
      }
      if (this.paused) return;
      this.toRelease = [...this.members];
    }
    if (this.paused) return;
    this.pumping = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    while (this.toRelease.length > 0) {
      await this.yieldToBrowser();
      if (this.paused) break;
      const id = this.toRelease.shift()!;
      const r = this.waiting.get(id);
      if (!r) continue;
      this.waiting.delete(id);
      this.updatedSinceCount = true;
      this.releasedAt.set(id, performance.now());
      r();
    }
    this.pumping = false;
    this.maybeRelease();
  }
}

/** A macrotask yield (MessageChannel, not clamped like nested setTimeout). */
export function yieldMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

let lastFrame = 0;

/**
 * Yields to the browser between training updates: a fast macrotask yield normally, and at least
 * every `frameMs` a wait for the next animation frame (so the page repaints and Playwright-style
 * "stable element" checks and rAF callbacks get their turn; postMessage tasks alone can starve
 * rendering in Chromium). In a hidden tab, where rAF does not fire, a 100 ms timer takes over.
 */
export function yieldToBrowser(frameMs = 50): Promise<void> {
  const now = performance.now();
  if (typeof requestAnimationFrame !== "function" || now - lastFrame < frameMs) return yieldMacrotask();
  return new Promise((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      lastFrame = performance.now();
      // After the frame's callbacks, let the paint happen before the next update.
      setTimeout(resolve, 0);
    };
    requestAnimationFrame(finish);
    setTimeout(finish, 100);
  });
}
