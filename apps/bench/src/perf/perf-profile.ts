/**
 * How long `dale-bench perf` measures: warm-up, repetitions and spectra sizes. The same numbers go
 * to the PyTorch script, so both sides are timed the same way.
 */
export interface PerfProfile {
  /** "quick" or "default". */
  name: string;
  /** Warm-up: at least this many steps ... */
  warmupSteps: number;
  /** ... and at least this many seconds. */
  warmupSeconds: number;
  /** Timed repetitions; the reported throughput is their median. */
  reps: number;
  /** Each repetition runs at least this many seconds ... */
  repSeconds: number;
  /** ... and at least this many steps. */
  repMinSteps: number;
  /** Matrix sizes n of the spectra workload. */
  spectraSizes: number[];
  /** Timed repetitions per spectra measurement (after one untimed run). */
  spectraReps: number;
}

/** `--quick`: the whole command in under two minutes on two cores. */
export const QUICK_PROFILE: PerfProfile = {
  name: "quick",
  warmupSteps: 3,
  warmupSeconds: 0.3,
  reps: 3,
  repSeconds: 1,
  repMinSteps: 5,
  spectraSizes: [300],
  spectraReps: 3,
};

/** The default: more and longer repetitions, and n = 1000 for spectra. */
export const DEFAULT_PROFILE: PerfProfile = {
  name: "default",
  warmupSteps: 10,
  warmupSeconds: 1,
  reps: 5,
  repSeconds: 1.5,
  repMinSteps: 20,
  spectraSizes: [300, 1000],
  spectraReps: 3,
};

/**
 * The profile for one backend: the plain JavaScript cpu backend takes seconds per step at batch
 * 256, so it gets one warm-up step and at least two steps per repetition instead of the profile's
 * minimum step counts (its repetitions still last `repSeconds`).
 *
 * @param profile - the run's profile
 * @param backend - backend name
 * @returns the profile to time that backend with
 */
export function profileForBackend(profile: PerfProfile, backend: string): PerfProfile {
  return backend === "cpu" ? { ...profile, warmupSteps: 1, warmupSeconds: 0, repMinSteps: 2 } : profile;
}

/**
 * The profile for one workload: `conv` (paper 002's CIFAR-10 network) takes seconds per step at
 * batch 128, so it warms up for at most 2 steps and times at least 2 steps per repetition (its
 * repetitions still last `repSeconds`). PyTorch gets the same (perf/pytorch_perf.py's `--overrides`).
 *
 * @param profile - the run's profile
 * @param workload - a training workload
 * @returns the profile to time that workload with
 */
export function profileForWorkload(profile: PerfProfile, workload: string): PerfProfile {
  return workload === "conv" ? { ...profile, warmupSteps: Math.min(profile.warmupSteps, 2), repMinSteps: Math.min(profile.repMinSteps, 2) } : profile;
}
