// The page behind profile.html: picks the backend of ?backend= (no fallback), loads the MNIST
// subset and exposes window.__profile.run(options) for scripts/profile-step.mjs.
import * as tf from "@tensorflow/tfjs";
import { chooseBackend, type BackendChoice, type BackendName } from "./backend.js";
import { decodeMnistSubset } from "./mnist-subset.js";
import { profileTraining, type ProfileTrainingOptions, type TrainingProfile } from "./profile-training.js";
import { installStepCounters } from "./step-counters.js";
import { DEFAULT_SETTINGS, FEEDFORWARD_KINDS, type FeedforwardKind, type TrainingSettings } from "./training.js";

interface ProfilePageState {
  ready: boolean;
  error: string | null;
  backend: BackendChoice | null;
  /** The page's tfjs, for experiments from the console or a script. */
  tf: typeof tf;
  /** Profiles `kinds` (all when empty) in turn; `settings` overrides some of the demo's {@link DEFAULT_SETTINGS}. */
  run(kinds: FeedforwardKind[], options: Omit<ProfileTrainingOptions, "settings"> & { settings?: Partial<TrainingSettings> }): Promise<TrainingProfile[]>;
}

const status = document.getElementById("status")!;
const out = document.getElementById("out")!;
const wanted = (new URLSearchParams(location.search).get("backend") ?? "webgl") as BackendName;
let data: Awaited<ReturnType<typeof decodeMnistSubset>> | null = null;
const counters = installStepCounters();

const state: ProfilePageState = {
  ready: false,
  error: null,
  backend: null,
  tf,
  async run(kinds, options) {
    if (!data) throw new Error("profile page: the MNIST subset is not loaded yet");
    const results: TrainingProfile[] = [];
    for (const kind of kinds.length > 0 ? kinds : FEEDFORWARD_KINDS) {
      status.textContent = `Profiling ${kind} on ${tf.getBackend()}…`;
      const p = await profileTraining(kind, data, counters, { ...options, settings: { ...DEFAULT_SETTINGS, ...options.settings } });
      results.push(p);
      out.textContent += `${kind}: ${p.updatesPerSecond.toFixed(1)} updates/s, ${p.perUpdate.readBacks.toFixed(2)} read-backs, ${p.kernelsPerUpdate} kernels per update\n`;
    }
    status.textContent = "Done.";
    return results;
  },
};
(window as unknown as { __profile: ProfilePageState }).__profile = state;

async function main(): Promise<void> {
  state.backend = await chooseBackend([wanted]);
  const url = new URL("mnist-subset.bin", document.baseURI).href;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
  data = decodeMnistSubset(new Uint8Array(await response.arrayBuffer()), url);
  state.ready = true;
  status.textContent = `Ready on ${state.backend.name} (${state.backend.detail}).`;
}

main().catch((e: unknown) => {
  state.error = (e as Error).message;
  status.textContent = `Error: ${state.error}`;
});
