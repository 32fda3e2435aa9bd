export { loadMnist, loadIdxDirectory, mnistDataDirectory } from "./mnist-node.js";
