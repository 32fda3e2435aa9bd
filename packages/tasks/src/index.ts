export type { HostBatch, Task, TaskKind } from "./task.js";
export { classificationTask, type ClassificationTaskOptions } from "./classification-task.js";
export { regressionTask, type RegressionTaskOptions } from "./regression-task.js";
export { addingProblem, addingProblemSplits, type AddingProblemOptions } from "./adding-problem.js";
