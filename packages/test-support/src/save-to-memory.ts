import { io } from "@tensorflow/tfjs-core";

/** Anything that saves like a `tf.LayersModel` (`model.save(handler, config)`). */
export interface SavableModel {
  save(handlerOrURL: io.IOHandler | string, config?: io.SaveConfig): Promise<io.SaveResult>;
}

/**
 * Saves a model into memory and returns what it wrote (topology, weight specs and data, and the
 * optimizer's weights with `{ includeOptimizer: true }`), for save / load round trips in tests:
 * `tf.loadLayersModel(tf.io.fromMemory(await saveToMemory(model)))`. Nothing touches the disk.
 *
 * @param model - the model (`tf.LayersModel` or any {@link SavableModel}).
 * @param config - passed to `model.save` as is (e.g. `{ includeOptimizer: true }`).
 * @returns the saved artifacts.
 * @throws whatever `model.save` throws; Error when it resolved without calling the handler.
 * @example
 * const loaded = await tf.loadLayersModel(tf.io.fromMemory(await saveToMemory(model)));
 */
export async function saveToMemory(model: SavableModel, config?: io.SaveConfig): Promise<io.ModelArtifacts> {
  let saved: io.ModelArtifacts | undefined;
  await model.save(
    io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
    config,
  );
  if (saved === undefined) throw new Error("saveToMemory: model.save resolved without handing its artifacts to the save handler");
  return saved;
}
