import { checkpointSidecar } from "../../runner/checkpoint-sidecar.js";
import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "@dale-nn/ei-init";
import { projectedAdam } from "@dale-nn/projected-sgd";
import { trainModel, type TrainCheckpoint } from "@dale-nn/train";
import { iterateBatches, subsetView, fullView, type ImageSplit, type SplitView } from "@dale-nn/datasets";
import { loadMnist } from "@dale-nn/datasets/node";
import {
  classificationTask, psychometricChoices, psychometricLevels, trialHostBatches, trialSet, trialTaskAdapter,
  type HostBatch, type Task, type Trial, type TrialTask,
} from "@dale-nn/tasks";
import type { RunContext } from "../../runner/experiment.js";
import { runEnvironment } from "../../runner/run-environment.js";
import { CT_DECISION_TASKS, makeTrialTask, type CtTrialTaskName } from "./ct-tasks.js";
import { CtNetwork, regularisedTask } from "./ct-network.js";
import { evaluateTrials, halfDtCheck, type HalfDtCheck } from "./evaluate-trials.js";
import { modelLabel, type MixSettings } from "./mix-options.js";
import { MIX_PROFILES, trainingOf } from "./mix-profiles.js";
import type { ACurvePoint, MixRecord, PsychometricCurve, PsychometricPoint } from "./mix-record.js";

/** A task's data, built once per process: trial tasks with a fixed test set, or sequential MNIST. */
export type CtTaskData =
  | { kind: "trial"; trialTask: TrialTask; task: Task; test: Trial[]; testBatches: HostBatch[] }
  | { kind: "seqmnist"; task: Task; train: SplitView; test: SplitView };

/** What `prepare` gives the runs: the data of a run's task, built on first use and cached. */
export type CtTaskDataCache = (s: MixSettings) => CtTaskData;

/** The cache of task data (MNIST loaded once, trial test sets drawn once per task, dt and noise). */
export function ctTaskDataCache(): CtTaskDataCache {
  const cache = new Map<string, CtTaskData>();
  let mnist: ReturnType<typeof loadMnist> | null = null;
  return (s) => {
    const profile = MIX_PROFILES[s.profile];
    const inputNoise = s.condition.inputNoise ?? profile.trial.inputNoise;
    const loss = s.condition.loss ?? "mse";
    const key = `${s.task}|${s.profile}|${s.condition.dt}|${inputNoise}|${loss}`;
    let d = cache.get(key);
    if (d) return d;
    if (s.task === "seqmnist") {
      mnist ??= loadMnist();
      const p = profile.seqmnist;
      let train = fullView(mnist.train as ImageSplit);
      let test = fullView(mnist.test as ImageSplit);
      if (p.trainLimit !== null) train = subsetView(train, Math.min(p.trainLimit, train.count));
      if (p.testLimit !== null) test = subsetView(test, Math.min(p.testLimit, test.count));
      d = { kind: "seqmnist", task: classificationTask({ name: "sequential MNIST", numClasses: 10, inputSize: 784, inputShape: [28, 28] }), train, test };
    } else {
      const trialTask = makeTrialTask(s.task as CtTrialTaskName, { dt: s.condition.dt, inputNoise, timing: profile.trial.timing });
      // One test set per task for every seed and model, so they are compared on the same trials.
      const test = trialSet(trialTask, { seed: deriveSeed(0, "mix-test", s.task), count: profile.trial.testTrials });
      d = { kind: "trial", trialTask, task: trialTaskAdapter(trialTask, { loss }), test, testBatches: trialHostBatches(trialTask, test, { batchSize: 100 }) };
    }
    cache.set(key, d);
    return d;
  };
}

/**
 * The psychometric curve: per value of the task's psychometric variable (e.g. signed coherence),
 * the fraction of test trials whose decision was choice 1 (the read-out's first choice).
 */
export function psychometricCurve(trials: readonly Trial[], decisions: readonly number[]): PsychometricPoint[] {
  return psychometricLevels(trials.map((t) => t.meta.psychometric), decisions.map((d) => d === 0)).map((l) => ({ x: l.x, fractionChoice1: l.fraction, trials: l.trials }));
}

/**
 * Every stimulus variable's curve of a decision task (`psychometricChoices`: for context-dependent
 * decision making the relevant and the irrelevant modality and each modality per context), the
 * fraction of the counted choice (choice 1 for the signed-coherence tasks) per level.
 */
export function psychometricCurves(task: TrialTask, trials: readonly Trial[], decisions: readonly number[]): PsychometricCurve[] {
  return psychometricChoices(task, trials, { decisions }).variables.map((v) => ({
    key: v.key,
    variable: v.name,
    points: psychometricLevels(v.stimulus, v.chose).map((l) => ({ x: l.x, fractionChoice1: l.fraction, trials: l.trials })),
  }));
}

function* firstBatches<T>(it: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  let i = 0;
  for (const b of it) {
    yield b;
    if (++i >= n) return;
  }
}

/**
 * Trains one continuous-time network (kind dale, free or mixture) on one task with projected
 * Adam (per-tensor gradient-norm clipping), logging a every `aEvery` updates, checkpointing every
 * epoch (a fixed number of batches) and resuming from the context's checkpoint; returns the record.
 */
export async function trainCtRun(runId: string, s: MixSettings, context: RunContext<CtTaskDataCache>): Promise<MixRecord> {
  const profile = MIX_PROFILES[s.profile];
  const training = trainingOf(profile, s.task);
  const c = s.condition;
  const data = context.prepared(s);
  const units = c.units ?? training.units;
  const batchSize = c.batchSize ?? training.batchSize;
  const totalUpdates = c.steps ?? training.epochs * training.batchesPerEpoch;
  const perEpoch = Math.min(training.batchesPerEpoch, totalUpdates);
  const epochs = Math.ceil(totalUpdates / perEpoch);
  const batchesIn = (epoch: number): number => Math.min(perEpoch, totalUpdates - (epoch - 1) * perEpoch);
  const seq = data.kind === "seqmnist";
  const nIn = seq ? 28 : data.trialTask.inputNames.length;
  const nOut = seq ? 10 : data.trialTask.outputNames.length;
  const net = new CtNetwork({
    kind: s.model, units, inputs: nIn, outputs: nOut, dt: c.dt, tauE: c.tauE, tauI: c.tauI, a0: s.a0 ?? 0.5, perUnit: c.perUnit, aLogitScale: c.aLogitScale ?? 1,
    normalisation: c.normalisation, connectivity: c.density, recurrentNoise: c.recurrentNoise, activityCost: c.activityCost,
    weightCost: c.weightCost, lastStepOnly: seq, seed: deriveSeed(s.seed, "mix", s.task, s.model),
  });
  const optimizer = projectedAdam({ learningRate: c.learningRate, ...(c.clip > 0 ? { clipNorm: { maxNorm: c.clip, scope: "per-tensor" as const } } : {}) });
  const task = regularisedTask(data.task, net);
  const label = modelLabel(s.model, s.a0);
  const log = context.log;
  // The a-curve up to the last checkpoint rides beside it (the checkpoint format has no room for it).
  const curveFile = checkpointSidecar<ACurvePoint[]>(context.out, runId, "acurve");
  let aCurve: ACurvePoint[] = [];
  const resume: TrainCheckpoint | undefined = context.resumeFrom;
  if (resume) {
    net.trainCalls = resume.update;
    try {
      aCurve = (curveFile.read((t) => JSON.parse(t) as ACurvePoint[]) ?? []).filter((p) => p.update <= resume.update);
    } catch {
      log(`    ${curveFile.path} is unreadable; the a-curve restarts at update ${resume.update}`);
    }
  } else curveFile.remove();
  const readA = (update: number): void => {
    const m = net.mixing();
    if (m === null || aCurve.at(-1)?.update === update) return;
    aCurve.push({ update, a: m.a, ...(m.spread !== null ? { spread: m.spread } : {}) });
  };
  if (!resume) readA(0);
  const trainBatches = (epoch: number): Iterable<HostBatch> => {
    const n = batchesIn(epoch);
    if (data.kind === "seqmnist") return firstBatches(iterateBatches(data.train, { batchSize, seed: deriveSeed(s.seed, "mix-batches"), epoch }), n);
    const trials = trialSet(data.trialTask, { seed: deriveSeed(s.seed, "mix-train", s.task, epoch), count: n * batchSize });
    return trialHostBatches(data.trialTask, trials, { batchSize });
  };
  const evalBatches = (): Iterable<HostBatch> => (data.kind === "seqmnist" ? iterateBatches(data.test, { batchSize: 500, shuffle: false }) : data.testBatches);
  const t0 = performance.now();
  log(`  ${s.task} ${label} seed ${s.seed} [${s.conditionLabel}]: ${units} units, ${totalUpdates} updates (${epochs} epoch(s) of ${perEpoch} batches of ${batchSize}), Adam ${c.learningRate}${c.clip > 0 ? `, clip per-tensor ${c.clip}` : ""}, dt ${c.dt} ms, tau E/I ${c.tauE}/${c.tauI} ms`);
  try {
    const result = await trainModel({
      model: net,
      optimizer,
      task,
      epochs,
      updatesPerEpoch: perEpoch,
      trainBatches,
      trainError: "running",
      evaluation: { batches: evalBatches, everyUpdates: training.evalEvery },
      checkEvery: profile.aEvery,
      resumeFrom: resume,
      checkpoint: (cp) => {
        readA(cp.update);
        curveFile.write(aCurve);
        context.saveCheckpoint(cp);
        log(`    checkpoint saved after epoch ${cp.epoch}`);
      },
      callbacks: {
        onProgress: (p) => readA(p.update),
        onEpochEnd: (e) => {
          const m = net.mixing();
          log(`    epoch ${e.epoch}: loss ${e.meanLoss.toFixed(4)}, train ${data.task.metricName} ${e.trainError.toFixed(3)}${m ? `, a ${m.a.toFixed(4)}` : ""}, ${e.seconds.toFixed(1)} s`);
        },
      },
    });
    readA(result.updates);
    let accuracy: number | null = null;
    let testError: number | null = null;
    let psychometric: PsychometricPoint[] | null = null;
    let curves: PsychometricCurve[] | null = null;
    let halfDt: HalfDtCheck | null = null;
    if (data.kind === "trial") {
      if (!result.diverged) {
        const evaluation = evaluateTrials(net, data.trialTask, data.test);
        accuracy = evaluation.accuracy;
        if (CT_DECISION_TASKS.has(s.task)) {
          psychometric = psychometricCurve(data.test, evaluation.decisions);
          curves = psychometricCurves(data.trialTask, data.test, evaluation.decisions);
        }
        halfDt = halfDtCheck(net, data.trialTask, data.test, evaluation);
      }
    } else testError = result.diverged ? null : result.finalEvalError;
    const m = net.mixing();
    const record: MixRecord = {
      schema: 1, experiment: "mix", runId, task: s.task, model: s.model, seed: s.seed, a0: s.model === "mixture" ? s.a0 : null,
      aFinal: m ? m.a : null, aSpread: m ? m.spread : null, aCurve, accuracy, testError,
      loss: result.meanLossPerEpoch.at(-1) ?? null, lossPerEpoch: result.meanLossPerEpoch, evalCurve: result.evalCurve,
      psychometric, psychometricVariable: data.kind === "trial" && psychometric ? data.trialTask.psychometricVariable : null, ...(curves ? { psychometricCurves: curves } : {}),
      profile: s.profile, condition: c, conditionLabel: s.conditionLabel, units, updates: result.updates, epochs, batchSize,
      learningRate: c.learningRate, maxSteps: data.kind === "trial" ? data.trialTask.maxSteps : 28, wallSeconds: result.wallSeconds,
      backend: context.backend, versions: runEnvironment(), finishedAt: new Date().toISOString(),
      ...(halfDt ? { halfDt } : {}),
      ...(result.diverged ? { diverged: { update: result.diverged.update, reason: result.diverged.reason } } : {}),
    };
    const perf = accuracy !== null ? `accuracy ${accuracy.toFixed(3)}` : testError !== null ? `test error ${testError.toFixed(4)}` : "no result";
    log(`    final: ${perf}${record.aFinal !== null ? `, a ${s.a0} -> ${record.aFinal.toFixed(4)}` : ""}, loss ${record.loss?.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(1)} s)${record.diverged ? ` DIVERGED: ${record.diverged.reason}` : ""}`);
    if (halfDt) log(`    at dt/2 = ${c.dt / 2} ms (same weights, same trials): accuracy ${halfDt.accuracy.toFixed(3)}, same decision on ${(100 * halfDt.agreement).toFixed(1)}% of trials, max output difference ${(100 * halfDt.outputDifference).toFixed(1)}%`);
    if (psychometric) log(`    psychometric (${record.psychometricVariable} -> P(choice 1)): ${psychometric.map((p) => `${p.x}: ${p.fractionChoice1.toFixed(2)}`).join(", ")}`);
    if (s.json) {
      process.stdout.write(`${JSON.stringify({ task: s.task, model: s.model, seed: s.seed, a0: record.a0, aFinal: record.aFinal, ...(seq ? { testError } : { accuracy }), loss: record.loss, condition: s.conditionLabel, runId })}\n`);
    }
    curveFile.remove();
    return record;
  } finally {
    net.dispose();
    optimizer.dispose();
  }
}
