/** The rates a {@link RunClock} reports after an update. */
export interface RunRates {
  /** Updates per running second since the start (paused time excluded), null before any time ran. */
  perSecond: number | null;
  /** The same from update `warmUpdates` on (warm-up excluded), null until there is such time. */
  steadyPerSecond: number | null;
  /** performance.now() when update `warmUpdates` was done, null before. */
  steadySince: number | null;
}

/**
 * The running clock of a training run on the page: seconds while running (paused time
 * excluded), and updates per second overall and after a warm-up of `warmUpdates` updates:
 * rate = updates / running seconds, steady rate = (updates − u₀) / (seconds − s₀) with (u₀, s₀)
 * taken at update `warmUpdates`.
 */
export class RunClock {
  private since: number | null = null;
  private seconds = 0;
  private warm: { updates: number; seconds: number; at: number } | null = null;

  constructor(private readonly warmUpdates = 10, private readonly now: () => number = () => performance.now()) {}

  /** Starts (or resumes) counting running time; a second call while running changes nothing. */
  start(): void {
    if (this.since === null) this.since = this.now();
  }

  /** Stops counting (pause, end, error). */
  stop(): void {
    if (this.since !== null) this.seconds += (this.now() - this.since) / 1000;
    this.since = null;
  }

  /** Back to zero, stopped (Reset). */
  reset(): void {
    this.since = null;
    this.seconds = 0;
    this.warm = null;
  }

  /** Running seconds so far. */
  elapsed(): number {
    return this.seconds + (this.since === null ? 0 : (this.now() - this.since) / 1000);
  }

  /** Records that `updates` updates are done and returns the rates. */
  tick(updates: number): RunRates {
    const s = this.elapsed();
    if (updates === this.warmUpdates) this.warm = { updates, seconds: s, at: this.now() };
    const w = this.warm;
    return {
      perSecond: s > 0 ? updates / s : null,
      steadyPerSecond: w && updates > w.updates && s > w.seconds ? (updates - w.updates) / (s - w.seconds) : null,
      steadySince: w ? w.at : null,
    };
  }
}
