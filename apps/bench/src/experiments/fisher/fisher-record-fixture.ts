import type { FisherRecord } from "./fisher-record.js";

/** Test fixture: a valid record of 2 epochs and 2 layers; `corrected` sets the corrected cosines (the raw ones are 0.2). */
export function fisherRecordFixture(overrides: Partial<FisherRecord> = {}, corrected = 0.5): FisherRecord {
  const layer = (i: number) => ({
    layer: i,
    inputs: i === 1 ? 784 : 500,
    units: i === 1 ? 500 : 10,
    inhibitory: i === 1 ? 50 : 1,
    curve: [2, 4, 6, 8].map((update) => ({ update, raw: 0.2, corrected })),
    epochMeans: [1, 2].map((epoch) => ({ epoch, raw: 0.2, corrected, count: 4 })),
  });
  return {
    schema: 1, experiment: "fisher", runId: "fisher/mnist/dann/tiny/seed=0", dataset: "mnist", model: "dann", profile: "tiny", seed: 0,
    epochs: 2, batchSize: 25, learningRate: 300, fisher: { lambda: 40_000, momentum: 0.02, eps: 1e-8, normalise: "inverse-fisher" },
    trainImages: 100, testImages: 100, updatesPerEpoch: 4, updates: 8, alignEvery: 1, window: 4, curveEvery: 2, layers: [layer(1), layer(2)],
    trainErrorPerEpoch: [0.5, 0.4], meanLossPerEpoch: [2, 1.5], evalCurve: [{ update: 0, error: 0.9 }, { update: 8, error: 0.3 }],
    finalTrainError: 0.4, testError: 0.3, wallSeconds: 1.5, backend: "cpu", versions: {}, startedAt: "t0", finishedAt: "t1",
    ...overrides,
  };
}
