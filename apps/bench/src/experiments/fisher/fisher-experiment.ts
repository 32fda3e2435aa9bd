import { classificationTask } from "@dale-nn/tasks";
import { fullView } from "@dale-nn/datasets";
import { loadMnist } from "@dale-nn/datasets/node";
import type { Experiment } from "../../runner/experiment.js";
import { UserError } from "../../user-error.js";
import { FISHER_FLAGS, parseFisherOptions, planFisherRuns, type FisherOptions, type FisherSettings } from "./fisher-options.js";
import { FISHER_PROFILE_NAMES } from "./fisher-profiles.js";
import { validateFisherRecord, type FisherRecord } from "./fisher-record.js";
import { writeFisherReport } from "./fisher-report.js";
import { trainFisherRun, type FisherData } from "./train-fisher-run.js";

/**
 * `dale-bench fisher`: Cornford et al. (2021), Sec. 4 and Fig. 2: a DANN trained on MNIST with the
 * Fisher-corrected gradients (App. E.3, Alg. 4), recording per layer how well the raw and the
 * heuristically corrected gradients (Alg. 3) align with them over training.
 */
export const fisherExperiment: Experiment<FisherOptions, FisherSettings, FisherRecord, FisherData> = {
  name: "fisher",
  summary: "Cornford et al. (2021) Fig. 2: a DANN trained with diagonal-Fisher-corrected gradients; per layer, cos(Fisher-corrected, uncorrected / heuristically corrected gradient)",
  help: [
    "Trains an MNIST DANN (784 - 3 x 500 E - 10 with one inhibitory unit per layer, the reference code's Fisher network; --model dann for the paper's 50 per hidden layer, which does not learn at lr 300) for the profile's epochs with the Fisher-corrected gradients of App. E.3 Alg. 4:",
    "projected SGD, lr 300, batch 250, on F*grad with F from targets sampled from the model's softmax (f_lambda 2.5e-5, momentum 0.02, eps 1e-8, F^-1 divided per layer by the norm of its W_EE block), the reference code's constants.",
    "Every --align-every updates it records per layer the cosine between the Fisher-corrected gradient and the raw gradient, and the heuristically corrected one (Alg. 3).",
    "Profiles: tiny (seconds, a small DANN on 200 images; tests), smoke (1 epoch on 12,000 images), quick (3 epochs), paper (50 epochs, 1 seed as in the paper; --seeds N for more).",
    "The report: per layer, both cosines over training as a moving average over 500 updates (Fig. 2's layout, SVG), the mean cosines of the first, middle and last epoch, whether corrected > uncorrected throughout, and the test error.",
  ].join("\n"),
  trains: true,
  profiles: FISHER_PROFILE_NAMES,
  flags: FISHER_FLAGS,
  parse: parseFisherOptions,
  defaultOut: (o) => `results/fisher-${o.profile}`,
  plan: planFisherRuns,
  prepare() {
    let data;
    try {
      data = loadMnist();
    } catch (e) {
      throw new UserError((e as Error).message);
    }
    return {
      task: classificationTask({ numClasses: 10, inputSize: data.train.features, name: "mnist" }),
      train: fullView(data.train),
      test: fullView(data.test),
    };
  },
  runOne: (run, context) => trainFisherRun(run.settings, context),
  validateRecord: validateFisherRecord,
  report: (out, records) => writeFisherReport(out, records),
};
