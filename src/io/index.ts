/**
 * File input/output: files and tensors only (`.npy` arrays), written atomically.
 *
 * @module
 */
export { writeFileAtomic, writeFileAtomicAsync } from './atomic.js';
export {
  decodeNpy,
  encodeNpy,
  NpyFormatError,
  readNpy,
  writeNpy,
  type NpyDtype,
  type NpyWriteOptions,
} from './npy.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  SafetensorsFormatError,
  writeSafetensors,
  type SafetensorsContents,
  type SafetensorsDtype,
  type SafetensorsWriteOptions,
} from './safetensors.js';
