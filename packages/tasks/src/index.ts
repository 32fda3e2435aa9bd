export type { HostBatch, Task, TaskKind } from "./task.js";
export { classificationTask, type ClassificationTaskOptions } from "./classification-task.js";
