export { createSlurmExecutor } from "./slurm-executor.js";
export { validateSlurmOptions, type SlurmExecutorOptions } from "./slurm-options.js";
export { slurmRunStates, type NoteFn } from "./slurm-run-states.js";
export { readSubmissions, submissionsPath, type SlurmSubmission } from "./slurm-submission.js";
