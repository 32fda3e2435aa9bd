import cliProgress from "cli-progress";

/**
 * Terminal progress for dale-bench: a progress bar per run on a TTY (cli-progress), plain log
 * lines otherwise (CI logs, pipes, worker processes).
 */
export class Progress {
  private bar: cliProgress.SingleBar | null = null;
  private total = 0;
  private offset = 0;
  private runStart = 0;
  private updatesAtStart = 0;
  private batchSize = 32;

  constructor(private readonly tty = Boolean(process.stdout.isTTY), private readonly quiet = false) {}

  log(line: string): void {
    if (this.quiet) return;
    if (this.bar) this.bar.stop();
    process.stdout.write(`${line}\n`);
    if (this.bar) this.bar.start(this.total, this.offset);
  }

  /**
   * Starts a run: prints `line` and, on a TTY, a bar over `totalUpdates` updates starting at
   * `doneUpdates` (a resumed run).
   */
  startRun(info: { line: string; totalUpdates: number; doneUpdates: number; batchSize: number }): void {
    this.total = info.totalUpdates;
    this.offset = info.doneUpdates;
    this.updatesAtStart = this.offset;
    this.runStart = performance.now();
    this.batchSize = info.batchSize;
    this.log(info.line);
    if (this.tty && !this.quiet) {
      this.bar = new cliProgress.SingleBar(
        { format: "  {bar} {percentage}% | update {value}/{total} | loss {loss} | {rate} samples/s | eta {eta_formatted}", hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(this.total, this.offset, { loss: "-", rate: "-" });
    }
  }

  update(p: { update: number; meanLoss: number }): void {
    this.offset = p.update;
    const seconds = (performance.now() - this.runStart) / 1000;
    const rate = seconds > 0 ? (((p.update - this.updatesAtStart) * this.batchSize) / seconds).toFixed(0) : "-";
    this.bar?.update(p.update, { loss: p.meanLoss.toFixed(4), rate });
  }

  /** Ends the bar of a run and prints `line`. */
  endRun(line: string): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
    this.log(line);
  }
}
