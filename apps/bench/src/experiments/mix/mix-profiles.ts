import type { CtTaskName, TimingOverrides } from "./ct-tasks.js";

/** How one family of tasks (trial tasks, or sequential MNIST) is trained under a profile. */
export interface CtTraining {
  units: number;
  batchSize: number;
  /** A training epoch is this many batches (trial tasks: fresh seeded trials per epoch; MNIST: the first batches of a seeded shuffle). */
  batchesPerEpoch: number;
  epochs: number;
  /** Evaluate on the test set every this many updates (and at the start and end). */
  evalEvery: number;
}

/** A profile of `dale-bench mix` / `task`. */
export interface MixProfile {
  name: "tiny" | "smoke" | "quick" | "paper";
  /** Tasks run when --tasks is not given. */
  tasks: CtTaskName[];
  /** Seeds per configuration. */
  seeds: number;
  trial: CtTraining & { testTrials: number; inputNoise: number; timing: TimingOverrides };
  seqmnist: CtTraining & { trainLimit: number | null; testLimit: number | null };
  /** Read a (and the loss) every this many updates: the a-curve's resolution. */
  aEvery: number;
}

/** Short stimuli so a run takes seconds to minutes (decision and fixation periods kept). */
const SHORT: TimingOverrides = {
  "perceptual-decision-making": { stimulus: 500 },
  "context-decision-making": { fixation: 100, stimulus: 300, delay: 200 },
  "multisensory-integration": { fixation: 100, stimulus: 300 },
  "go-no-go": { stimulus: 300, delay: 300, decision: 300 },
  "delay-match-sample": { fixation: 100, sample: 300, delay: 500, test: 300, decision: 300 },
  "delay-comparison": { fixation: 200, stimulus1: 300, delay: 500, stimulus2: 300 },
};

/** A few steps per trial, for tests. */
const TINY: TimingOverrides = {
  "perceptual-decision-making": { fixation: 40, stimulus: 120, decision: 40 },
  "context-decision-making": { fixation: 40, stimulus: 120, delay: 40, decision: 40 },
  "multisensory-integration": { fixation: 40, stimulus: 120, decision: 40 },
  "go-no-go": { fixation: 40, stimulus: 80, delay: 40, decision: 40 },
  "delay-match-sample": { fixation: 40, sample: 80, delay: 40, test: 80, decision: 40 },
  "delay-comparison": { fixation: 40, stimulus1: 80, delay: 40, stimulus2: 80, decision: 40 },
};

const DECISION_TASKS: CtTaskName[] = ["perceptual-decision-making", "context-decision-making", "multisensory-integration", "seqmnist"];

export const MIX_PROFILES: Record<MixProfile["name"], MixProfile> = {
  // Seconds: tests only.
  tiny: {
    name: "tiny", tasks: ["perceptual-decision-making", "seqmnist"], seeds: 1, aEvery: 1,
    trial: { units: 10, batchSize: 8, batchesPerEpoch: 2, epochs: 2, evalEvery: 2, testTrials: 32, inputNoise: 0, timing: TINY },
    seqmnist: { units: 10, batchSize: 16, batchesPerEpoch: 2, epochs: 2, evalEvery: 2, trainLimit: 64, testLimit: 64 },
  },
  // Minutes: 150 updates per run, 1 seed.
  smoke: {
    name: "smoke", tasks: DECISION_TASKS, seeds: 1, aEvery: 10,
    trial: { units: 32, batchSize: 16, batchesPerEpoch: 50, epochs: 3, evalEvery: 50, testTrials: 200, inputNoise: 1, timing: SHORT },
    seqmnist: { units: 64, batchSize: 32, batchesPerEpoch: 50, epochs: 3, evalEvery: 50, trainLimit: 4800, testLimit: 500 },
  },
  // About an hour or two on one core: 1,000 updates per run, 3 seeds.
  quick: {
    name: "quick", tasks: DECISION_TASKS, seeds: 3, aEvery: 20,
    trial: { units: 50, batchSize: 16, batchesPerEpoch: 100, epochs: 10, evalEvery: 200, testTrials: 500, inputNoise: 1, timing: SHORT },
    seqmnist: { units: 100, batchSize: 32, batchesPerEpoch: 100, epochs: 10, evalEvery: 200, trainLimit: null, testLimit: 2000 },
  },
  // The anchors' protocol: neurogym timing, 50 units (nn-brain's EI_RNN), 5,000 updates of batch 16; MNIST 20,000 updates.
  paper: {
    name: "paper", tasks: DECISION_TASKS, seeds: 5, aEvery: 50,
    trial: { units: 50, batchSize: 16, batchesPerEpoch: 100, epochs: 50, evalEvery: 500, testTrials: 500, inputNoise: 1, timing: {} },
    seqmnist: { units: 100, batchSize: 32, batchesPerEpoch: 1000, epochs: 20, evalEvery: 1000, trainLimit: null, testLimit: null },
  },
};

export const MIX_PROFILE_NAMES = Object.keys(MIX_PROFILES) as Array<MixProfile["name"]>;

/** The training of a task under a profile. */
export function trainingOf(profile: MixProfile, task: CtTaskName): CtTraining {
  return task === "seqmnist" ? profile.seqmnist : profile.trial;
}
