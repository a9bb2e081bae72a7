/**
 * The few gpu.js types the backend uses, written structurally so that the declarations of
 * `unfolded/gpu` do not need gpu.js's own (an optional peer dependency) to type-check.
 *
 * @module
 */

/** What a kernel function sees as `this`. */
export interface KernelThis {
  readonly thread: { readonly x: number; readonly y: number };
  readonly constants: Readonly<Record<string, number>>;
}

/** A 2-D argument as kernels index it: a[row][col]. */
export type Mat = readonly (readonly number[])[];

/** A kernel's result in pipeline mode: a Texture on WebGL, typed arrays on cpu / webasm. */
export type KernelResult = GpuTexture | Float32Array | readonly Float32Array[];

/** A gpu.js Texture (pipeline result on the WebGL backends). */
export interface GpuTexture {
  toArray(): Float32Array | Float32Array[];
  delete(): void;
}

/** A compiled kernel (gpu.js IKernelRunShortcut): callable, with the kernel instance that runs. */
export interface KernelRun {
  (...args: unknown[]): KernelResult;
  readonly kernel: { readonly constructor: { readonly name: string } };
  setOutput(output: number[]): void;
  destroy?(removeCanvasReferences?: boolean): void;
}

/** Settings of createKernel that the backend uses. */
export interface KernelSettings {
  output: number[];
  pipeline: boolean;
  immutable: boolean;
  precision: 'single';
  tactic: 'precision';
  constants: Record<string, number>;
}

/** A gpu.js GPU instance. */
export interface GpuInstance {
  readonly Kernel: { readonly name: string };
  readonly mode?: string;
  createKernel(source: (...args: never[]) => number, settings: KernelSettings): KernelRun;
  destroy(): void | Promise<void>;
}

/** The gpu.js module. */
export interface GpuJsModule {
  GPU: (new (settings?: { mode?: string }) => GpuInstance) & {
    readonly isHeadlessGLSupported?: boolean;
    readonly isWebAssemblySupported?: boolean;
  };
  input(value: Float32Array, size: number[]): unknown;
}
