/**
 * File input/output: files and tensors only (`.npy` arrays, safetensors files of named tensors),
 * written atomically.
 *
 * @module
 */
export { writeFileAtomic, writeFileAtomicAsync } from './atomic.js';
export { FileFormatError } from './files.js';
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
