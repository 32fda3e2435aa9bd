import type { RunRecord } from "../run-record.js";

/** Test helper: a valid schema-1 row with the given fields replaced. */
export function makeRecord(fields: Partial<RunRecord> & Pick<RunRecord, "dataset" | "model" | "seed" | "learningRate">): RunRecord {
  const profile = fields.profile ?? "quick";
  const evalSplit = fields.evalSplit ?? "test";
  return {
    schema: 1,
    experiment: "ffwd",
    runId: `${fields.dataset}/${fields.model}/${profile}/lr=${fields.learningRate}/seed=${fields.seed}/eval=${evalSplit}`,
    profile,
    epochs: 2,
    batchSize: 32,
    evalSplit,
    trainErrorPerEpoch: [0.1, 0.05],
    evalCurve: [
      { update: 200, error: 0.2 },
      { update: 400, error: 0.1 },
    ],
    finalTrainError: 0.05,
    finalEvalError: 0.1,
    wallSeconds: 10,
    backend: "wasm",
    versions: { "@tensorflow/tfjs": "4.22.0" },
    startedAt: "2025-01-01T00:00:00.000Z",
    finishedAt: "2025-01-01T00:00:10.000Z",
    ...fields,
  };
}

/**
 * The shared fixture: MNIST mlp (3 seeds) and dann (2 seeds, one longer curve), a columnei run that diverged,
 * a dann learning-rate search (3 rates, one diverged with null errors), and K-MNIST batchnorm-mlp (1 seed).
 */
export function fixtureRecords(): RunRecord[] {
  return [
    makeRecord({ dataset: "mnist", model: "mlp", seed: 0, learningRate: 0.2976, finalTrainError: 0.01, finalEvalError: 0.02, wallSeconds: 10, trainErrorPerEpoch: [0.1, 0.01], evalCurve: [{ update: 200, error: 0.1 }, { update: 400, error: 0.02 }] }),
    makeRecord({ dataset: "mnist", model: "mlp", seed: 1, learningRate: 0.2976, finalTrainError: 0.02, finalEvalError: 0.03, wallSeconds: 20, trainErrorPerEpoch: [0.2, 0.02], evalCurve: [{ update: 200, error: 0.2 }, { update: 400, error: 0.03 }] }),
    makeRecord({ dataset: "mnist", model: "mlp", seed: 2, learningRate: 0.2976, finalTrainError: 0.03, finalEvalError: 0.04, wallSeconds: 30, trainErrorPerEpoch: [0.3, 0.03], evalCurve: [{ update: 200, error: 0.3 }, { update: 400, error: 0.04 }] }),
    makeRecord({ dataset: "mnist", model: "dann", seed: 0, learningRate: 0.1107, finalTrainError: 0, finalEvalError: 0.015, wallSeconds: 40, trainErrorPerEpoch: [0.05, 0], evalCurve: [{ update: 200, error: 0.05 }, { update: 400, error: 0.015 }, { update: 600, error: 0.014 }] }),
    makeRecord({ dataset: "mnist", model: "dann", seed: 1, learningRate: 0.1107, finalTrainError: 0, finalEvalError: 0.025, wallSeconds: 60, trainErrorPerEpoch: [0.07, 0], evalCurve: [{ update: 200, error: 0.07 }, { update: 400, error: 0.025 }] }),
    makeRecord({ dataset: "mnist", model: "columnei", seed: 0, learningRate: 0.05273, finalTrainError: 0.9, finalEvalError: 0.9, trainErrorPerEpoch: [0.9], evalCurve: [{ update: 200, error: 0.9 }], diverged: { update: 321, reason: "loss is NaN" } }),
    makeRecord({ dataset: "mnist", model: "dann", profile: "search", evalSplit: "validation", seed: 0, learningRate: 0.01, finalTrainError: 0.04, finalEvalError: 0.05 }),
    makeRecord({ dataset: "mnist", model: "dann", profile: "search", evalSplit: "validation", seed: 1, learningRate: 0.01, finalTrainError: 0.06, finalEvalError: 0.07 }),
    makeRecord({ dataset: "mnist", model: "dann", profile: "search", evalSplit: "validation", seed: 0, learningRate: 0.1, finalTrainError: 0.01, finalEvalError: 0.02 }),
    makeRecord({ dataset: "mnist", model: "dann", profile: "search", evalSplit: "validation", seed: 0, learningRate: 5, finalTrainError: Number.NaN, finalEvalError: Number.NaN, trainErrorPerEpoch: [], evalCurve: [], diverged: { update: 17, reason: "loss is NaN" } }),
    makeRecord({ dataset: "kmnist", model: "batchnorm-mlp", seed: 3, learningRate: 0.7235, finalTrainError: 0.0012, finalEvalError: 0.068, wallSeconds: 5, backend: "cpu" }),
  ];
}

/** JSONL text of records, as `dale-bench ffwd` appends them (NaN becomes null). */
export function toJsonl(records: readonly RunRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join("");
}

/**
 * A minimal well-formedness check for an SVG document: it starts with `<svg`, ends with `</svg>`, and every
 * element opened is closed in order. Returns the problem, or undefined.
 */
export function svgProblem(svg: string): string | undefined {
  const text = svg.trim();
  if (!text.startsWith("<svg")) return `does not start with <svg: ${text.slice(0, 40)}`;
  if (!text.endsWith("</svg>")) return `does not end with </svg>: ${text.slice(-40)}`;
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:"[^"]*"|'[^']*'|[^'">])*?)(\/?)>/g;
  for (const m of text.matchAll(tag)) {
    const [, close, name = "", , selfClose] = m;
    if (selfClose) continue;
    if (close) {
      const open = stack.pop();
      if (open !== name) return `</${name}> closes <${open ?? "nothing"}>`;
    } else stack.push(name);
  }
  return stack.length === 0 ? undefined : `unclosed <${stack.join("><")}>`;
}
