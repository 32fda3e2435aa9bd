import cliProgress from "cli-progress";
import type { FfwdRunSpec } from "./ffwd/run-ffwd.js";
import type { RunRecord } from "./report/run-record.js";

/**
 * Terminal progress for dale-bench: a progress bar per run on a TTY (cli-progress), plain log
 * lines otherwise (CI logs, pipes).
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

  startRun(info: { index: number; total: number; spec: FfwdRunSpec; updatesPerEpoch: number; resumedFromEpoch: number }): void {
    const { spec } = info;
    this.total = spec.epochs * info.updatesPerEpoch;
    this.offset = info.resumedFromEpoch * info.updatesPerEpoch;
    this.updatesAtStart = this.offset;
    this.runStart = performance.now();
    this.batchSize = spec.batchSize;
    this.log(
      `[${info.index}/${info.total}] ${spec.model} seed ${spec.seed} lr ${spec.learningRate} (${spec.learningRateSource}), ${spec.epochs} epoch(s) x ${info.updatesPerEpoch} updates` +
        (info.resumedFromEpoch ? `, resuming after epoch ${info.resumedFromEpoch}` : ""),
    );
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

  epochEnd(e: { epoch: number; trainError: number; meanLoss: number; seconds: number }): void {
    this.log(`  epoch ${e.epoch}: train error ${(100 * e.trainError).toFixed(2)}%, mean loss ${e.meanLoss.toFixed(4)}, ${e.seconds.toFixed(1)} s`);
  }

  endRun(r: RunRecord): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
    const what = r.diverged ? `DIVERGED: ${r.diverged.reason}` : `final ${r.evalSplit} error ${(100 * r.finalEvalError).toFixed(2)}%, train error ${(100 * r.finalTrainError).toFixed(2)}%`;
    this.log(`  ${r.model} seed ${r.seed}: ${what} (${r.wallSeconds.toFixed(0)} s)`);
  }
}
