// tinygpt's data preparation (protected; the prepare.py of this task): the Brown corpus, stripped and split, into the
// data folder once. The loop runs it before the first trial of each session, with the evaluator's view.
import { prepareCorpus } from './corpus.js';

const started = performance.now();
const corpus = prepareCorpus();
console.log(
  `prepare: ${corpus.train.length} training bytes, ${corpus.validation.length} validation bytes ` +
    `(${corpus.cached ? 'already prepared' : 'prepared now'}, ${((performance.now() - started) / 1000).toFixed(1)} s)`,
);
