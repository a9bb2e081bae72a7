/**
 * Unrolled (learned) iterations: the layer contract and the layers of LISTA, LISTA-CP (with
 * support selection), step-LISTA and ALISTA (with its analytic weight), each with a hand-derived
 * VJP. Networks, losses and training build on these.
 *
 * @module
 */
export * from './types.js';
export { listaLayer, listaInitFromIsta, type ListaParams, type ListaCache, type Threshold } from './lista.js';
export {
  listaCpLayer,
  listaCpInitFromIsta,
  type ListaCpParams,
  type ListaCpCache,
  type ListaCpOptions,
} from './lista-cp.js';
export { slistaLayer, slistaIstaParams, type SlistaParams, type SlistaCache } from './slista.js';
export {
  alistaWeight,
  alistaLayer,
  ALISTA_RANK_TOL,
  type AlistaParams,
  type AlistaCache,
  type AlistaWeight,
  type AlistaWeightOptions,
} from './alista.js';
export {
  network,
  sharedParams,
  forwardNetwork,
  backwardNetwork,
  addParams,
  scaleParams,
  sumParamGrads,
  type Network,
  type NumericParams,
  type ForwardNetworkOptions,
  type NetworkForward,
  type NetworkGradients,
} from './network.js';
export { unsupervisedLoss, supervisedLoss, type LossWithGrad } from './losses.js';
export {
  MODEL_KINDS,
  type ModelKind,
  type LambdaMode,
  type NamedTensors,
  type ModelSpec,
  type Model,
} from './model-types.js';
export {
  createModel,
  modelNetwork,
  modelParamGrads,
  withParams,
  projectParams,
  truncateModel,
  extendModel,
  normalizeSignals,
  applyModel,
  modelLambda,
  parameterName,
  parameterShapes,
  isScalarParameter,
  MODEL_FIELDS,
  type ModelOptions,
} from './model.js';
export {
  operatorChecksum,
  modelContentChecksum,
  encodeModel,
  decodeModel,
  saveModel,
  loadModel,
  ModelFileError,
  MODEL_FILE_FORMAT,
  MODEL_FILE_VERSION,
  type ModelWriteOptions,
} from './model-file.js';
export { evaluateModel, evaluateSolver, type LayerEvaluation, type EvaluationOptions } from './evaluate.js';
export { releaseNetworkCaches } from './backend-network.js';
export {
  listaBackendLayer,
  listaCpBackendLayer,
  slistaBackendLayer,
  alistaBackendLayer,
  type BackendLayer,
  type LayerOnDevice,
} from './backend-layers.js';
