import type { TrainingWorkload } from "./perf-flops.js";
import type { StepBreakdown } from "./step-breakdown.js";

/** A training-throughput result of `dale-bench perf`: one workload, batch and backend of ours next to PyTorch. */
export interface TrainingRow {
  kind: "train";
  workload: TrainingWorkload;
  batch: number;
  /** Our tfjs backend: "openblas", "wasm" or "cpu". */
  backend: string;
  unit: "samples/s";
  /** Our median training samples/s. */
  ours: number;
  /** PyTorch's median training samples/s (null when PyTorch is not available), at its best thread setting. */
  pytorch: number | null;
  /** The thread setting PyTorch's number was measured with, e.g. "intra-op 1 + OpenBLAS 2" (null without PyTorch). */
  pytorchThreads: string | null;
  /** ours / pytorch (above 1: we are faster). */
  ratio: number | null;
  /** Our achieved GFLOP/s (matrix products of forward and backward, 3 x forward). */
  gflops: number;
  /** The sgemm peak measured in the same run (torch.mm, 1024 x 1024 float32), GFLOP/s. */
  peakGflops: number | null;
  /** gflops / peakGflops. */
  peakFraction: number | null;
  /** tf.memory().numTensors after the timed part minus before it; anything but 0 is a leak. */
  leakedTensors: number;
  /** Our samples/s of each timed repetition. */
  reps: number[];
  /** Our timed steps. */
  steps: number;
  /** --threads (OpenBLAS and PyTorch threads). */
  threads: number;
  /** Where one step's time goes (`tf.profile` of a few steps after the timing). */
  breakdown: StepBreakdown;
}

/** A spectra timing of `dale-bench perf`: our eigenvalues / singular values next to numpy's. */
export interface SpectraRow {
  kind: "spectra";
  workload: "spectra-svd" | "spectra-eig";
  op: "svd" | "eig";
  /** Matrix size n (n x n Gaussian). */
  n: number;
  batch: null;
  /** Which of our solvers: "javascript" or "lapack". */
  backend: "javascript" | "lapack";
  /** `activeDenseSolvers()` while timing, e.g. "LAPACK (OpenBLAS 0.3.21)". */
  solver: string;
  unit: "seconds";
  /** Our median seconds (= oursSeconds). */
  ours: number;
  /** numpy's median seconds (= numpySeconds; the Python side's column). */
  pytorch: number | null;
  /** ours / numpy time (above 1: we are slower). */
  ratio: number | null;
  oursSeconds: number;
  numpySeconds: number | null;
  gflops: null;
  peakFraction: null;
  leakedTensors: null;
  threads: number;
}

/** One result line of `dale-bench perf --json`. */
export type PerfRow = TrainingRow | SpectraRow;
