import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints one closing line "vitest: N passed, N failed[, N skipped]" after the default reporter,
 * so CI logs end with a count a machine can read.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
      if (mod.state() === "failed" && mod.children.size === 0) failed++;
    }
    const line = `vitest: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
    // Written at exit so that it is the last line, after the default reporter's summary.
    process.once("exit", () => process.stdout.write(`\n${line}\n`));
  }
}
