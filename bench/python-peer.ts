/**
 * The Python peers of the benchmarks (NumPy, scikit-learn, PyTorch from Debian's packages): the
 * interpreter, whether it has what a peer needs, and the environment to run it in.
 *
 * @module
 */
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';

/** Debian's interpreter (a pyenv one earlier on the PATH lacks the Debian packages). */
export const PYTHON = '/usr/bin/python3';

/**
 * Why a peer cannot run here (no interpreter, or `modules` do not import; `debianPackage` names
 * the package to install), or null when it can.
 */
export function peerUnavailable(modules: string, debianPackage: string): string | null {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} not found`;
  const probe = spawnSync(PYTHON, ['-c', `import ${modules}`], { encoding: 'utf8' });
  if (probe.status !== 0) return `${PYTHON} lacks ${modules} (Debian's ${debianPackage})`;
  return null;
}

/**
 * The environment of a peer. Older OpenBLAS needs overrides on some CPUs that slow a current one;
 * on CPUs with AVX-512 Debian's OpenBLAS picks a slow generic kernel unless told SkylakeX.
 */
export function peerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_L2_SIZE;
  let avx512 = false;
  try {
    avx512 = /\bavx512f\b/.test(fs.readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    avx512 = false;
  }
  if (avx512) env.OPENBLAS_CORETYPE = 'SkylakeX';
  else delete env.OPENBLAS_CORETYPE;
  return env;
}
