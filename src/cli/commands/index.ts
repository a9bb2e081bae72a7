/**
 * The command table: adding a subcommand is one file in this folder and one line here.
 *
 * @module
 */
import type { Command } from '../command.js';
import { denoise } from './denoise.js';
import { evalCommand } from './eval.js';
import { generate } from './generate.js';
import { info } from './info.js';
import { learnDictionary } from './learn-dictionary.js';
import { solve } from './solve.js';
import { train } from './train.js';

export const commands: readonly Command[] = [
  info,
  solve,
  generate,
  train,
  evalCommand,
  learnDictionary,
  denoise,
];
