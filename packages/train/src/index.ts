export type { ModelLike } from "./model-like.js";
export { evaluateError } from "./evaluate-error.js";
export {
  trainModel,
  type TrainModelOptions,
  type TrainResult,
  type TrainCheckpoint,
  type TrainCallbacks,
  type EvalPoint,
  type Divergence,
} from "./train-model.js";
export { encodeCheckpoint, decodeCheckpoint, CheckpointError } from "./checkpoint-bytes.js";
