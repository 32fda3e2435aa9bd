export type { HostBatch, Task, TaskKind } from "./task.js";
export { classificationTask, type ClassificationTaskOptions } from "./classification-task.js";
export { regressionTask, type RegressionTaskOptions } from "./regression-task.js";
export { addingProblem, addingProblemInputMean, addingProblemSplits, type AddingProblemOptions } from "./adding-problem.js";

// Trial-based cognitive tasks (continuous-time E/I RNNs).
export type { PeriodSpan, TargetLevels, Trial, TrialMeta } from "./trials/trial.js";
export type { TrialTask, TrialTaskOptions } from "./trials/trial-task.js";
export { periodDuration, durationSteps, durationStepBounds, sampleDuration, type PeriodDuration } from "./trials/period-duration.js";
export { trialSet, trialSplits, type TrialSetOptions, type TrialSplitsOptions } from "./trials/trial-set.js";
export { batchTrials, batchRow, unbatchOutputs, type BatchLayout, type BatchTrialsOptions, type TrialBatch } from "./trials/batch-trials.js";
export { readDecision, isDecisionCorrect, readoutWindow, type DecisionReadout } from "./trials/decision-readout.js";
export { scoreTrials, type TrialScores } from "./trials/score-trials.js";
export { psychometricLevels, type PsychometricLevel } from "./trials/psychometric-levels.js";
export { fitPsychometric, type PsychometricFit, type PsychometricFitOptions } from "./trials/fit-psychometric.js";
export { psychometricChoices, type PsychometricChoices, type PsychometricChoicesOptions, type PsychometricVariable } from "./trials/psychometric-choices.js";
export { maskedMse, type MaskedLossOptions } from "./trials/masked-mse.js";
export { maskedCrossEntropy } from "./trials/masked-cross-entropy.js";
export { trialTaskAdapter, type TrialTaskAdapter, type TrialTaskAdapterOptions } from "./trials/trial-task-adapter.js";
export { trialHostBatches, type TrialHostBatchesOptions } from "./trials/trial-host-batches.js";
export { perceptualDecisionMaking, type PerceptualDecisionMakingOptions } from "./trials/tasks/perceptual-decision-making.js";
export { contextDecisionMaking, type ContextDecisionMakingOptions } from "./trials/tasks/context-decision-making.js";
export { delayMatchSample } from "./trials/tasks/delay-match-sample.js";
export { goNoGo } from "./trials/tasks/go-no-go.js";
export { delayComparison, type DelayComparisonOptions } from "./trials/tasks/delay-comparison.js";
export { readySetGo, type ReadySetGoOptions } from "./trials/tasks/ready-set-go.js";
export { multisensoryIntegration, type MultisensoryIntegrationOptions } from "./trials/tasks/multisensory-integration.js";
